package imagine.controls;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import imagine.image.Mask;
import imagine.image.Regions;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.GradMode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the object in a reference where the user marked none: the largest region of the
 * reference's class activation map for the target class. A run given it matches the object's
 * feature statistics where the reference has the object and the background's elsewhere, as under
 * an object mask alone; with the whole reference's statistics everywhere the object's parts
 * spread over the frame (several heads, half bodies). docs/decisions.md has the numbers.
 */
public final class ObjectFinder {

    /**
     * The reference is read with its longer side at this size: 14 cells of a stride-32 activation,
     * enough to outline an object, in one forward pass (a sliding-window map took seconds and marked
     * only the most telling part, a cat's eyes rather than its head).
     */
    static final int SIDE = 448;
    /** The part of the map's range at and above which a cell counts as the object. */
    static final double LEVEL = 0.5;
    /** Below this share of the frame the region holds too few feature cells for statistics of its own. */
    public static final double MIN_COVERAGE = 0.04;
    /** Above it there is hardly a background to learn from: the plain run is as good. */
    public static final double MAX_COVERAGE = 0.7;

    private ObjectFinder() {}

    /**
     * The object region in the reference's frame, or empty when the model has no class activation
     * map or the map has no region of a usable size ({@link #MIN_COVERAGE} to {@link #MAX_COVERAGE}
     * of the frame).
     */
    public static Optional<Mask> find(Backbone backbone, RgbImage reference, int cls) {
        Optional<String> tap = backbone.evidenceTap();
        if (tap.isEmpty()) {
            return Optional.empty();
        }
        double s = (double) SIDE / Math.max(reference.width(), reference.height());
        RgbImage at = reference.resize(Math.max(1, (int) Math.round(reference.width() * s)),
                Math.max(1, (int) Math.round(reference.height() * s)));
        float[] cam;
        int cw;
        int ch;
        try (GradMode g = GradMode.off(); NDManager m = Engines.newManager(backbone.device())) {
            NDArray e = backbone.evidenceMap(backbone.forward(RgbImage.stack(List.of(at), m), Set.of(tap.get()))
                    .tap(tap.get()));
            ch = (int) e.getShape().get(2);
            cw = (int) e.getShape().get(3);
            cam = e.get(0, cls).toFloatArray();
        }
        // Logits, not probabilities: only their order matters, so the map is stretched to [0, 1].
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : cam) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (!(hi > lo)) {
            return Optional.empty();
        }
        for (int i = 0; i < cam.length; i++) {
            cam[i] = (cam[i] - lo) / (hi - lo);
        }
        Mask map = new Mask(cw, ch, cam).resize(at.width(), at.height());
        Mask region = Regions.of(map.values(), at.width(), at.height(), LEVEL).largestMask(at.width(), at.height());
        double coverage = region.coverage();
        if (coverage < MIN_COVERAGE || coverage > MAX_COVERAGE) {
            return Optional.empty();
        }
        return Optional.of(region.resize(reference.width(), reference.height()));
    }
}
