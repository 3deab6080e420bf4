package imagine.eval;

import imagine.image.Regions;
import imagine.image.RgbImage;
import imagine.model.Backbone;

/**
 * Whether a sample shows one object or a collage of fragments, read from its evidence map: of the
 * class evidence in the pixels at or above half the map's maximum, the share that lies in the
 * largest 8-connected region. One whole object gives one region (share near 1); several heads or
 * half bodies spread over the frame give several (share near 1 / their count). The optimization
 * never sees this map, so it is a fair judge of the layout.
 */
public final class EvidenceRegions {

    /** The part of the map's maximum at and above which a pixel counts as showing the class. */
    public static final double LEVEL = 0.5;

    private EvidenceRegions() {}

    /**
     * {@link #largestShare} of the image's evidence map for {@code cls}, from windows a third of the
     * smaller side (an object of a quarter of the frame still stands out) every eighth of a window.
     */
    public static double largestShare(Backbone backbone, RgbImage image, int cls) {
        return largestShare(map(backbone, image, cls), image.width(), image.height());
    }

    /** The largest region's share of the evidence above {@link #LEVEL}; NaN for a map without evidence. */
    public static double largestShare(float[] map, int w, int h) {
        return regions(map, w, h).largestShare();
    }

    /**
     * The evidence map cut into its regions at {@link #LEVEL} of its maximum: {@code label[i]} is 0
     * below, else the pixel's 8-connected region; {@code largest} holds the most evidence.
     */
    public static Regions regions(float[] map, int w, int h) {
        return Regions.of(map, w, h, LEVEL);
    }

    /** The evidence map {@link #largestShare(Backbone, RgbImage, int)} reads (same windows). */
    public static float[] map(Backbone backbone, RgbImage image, int cls) {
        int win = Math.max(16, Math.min(image.width(), image.height()) / 3);
        return EvidenceMap.of(backbone, image, new int[] {cls}, win, Math.max(1, win / 8));
    }
}
