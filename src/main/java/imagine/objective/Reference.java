package imagine.objective;

import ai.djl.ndarray.NDArray;
import imagine.model.Features;
import java.util.Map;

/**
 * The reference at the working scale of one stage: its pixels (1, 3, h, w) in [0, 1] and its
 * features at the taps, and the controls at that scale (null without controls). When the reference
 * is too large for one pass (a windowed stage), {@code features} is null and {@code stats} holds
 * the per-channel statistics of each tap, gathered window by window; {@code layout} is each sample's
 * starting layout where it is held to (coarse stages of a class-steered run without targets), else
 * null. Terms read their targets from it once per stage, not per iteration.
 */
public record Reference(NDArray image, Features features, StageRegions regions, Map<String, FeatureStats> stats,
        LayoutTarget layout) {

    public Reference(NDArray image, Features features, StageRegions regions) {
        this(image, features, regions, null, null);
    }

    /** A reference without controls. */
    public Reference(NDArray image, Features features) {
        this(image, features, null, null, null);
    }

    /** The same with each sample's starting layout at this stage ({@code null}: no layout to hold to). */
    public Reference withLayout(LayoutTarget l) {
        return new Reference(image, features, regions, stats, l);
    }
}
