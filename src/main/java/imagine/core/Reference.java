package imagine.core;

import imagine.model.Features;
import ai.djl.ndarray.NDArray;

/**
 * The reference at the working scale of one stage: its pixels (1, 3, h, w) in [0, 1] and its
 * features at the taps, and the controls at that scale (null without controls). Terms read their
 * targets from it once per stage, not per iteration.
 */
public record Reference(NDArray image, Features features, StageRegions regions) {

    /** A reference without controls. */
    public Reference(NDArray image, Features features) {
        this(image, features, null);
    }
}
