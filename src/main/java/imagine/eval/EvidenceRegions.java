package imagine.eval;

import imagine.image.RgbImage;
import imagine.model.Backbone;
import java.util.ArrayDeque;

/**
 * Whether a sample shows one object or a collage of fragments, read from its evidence map: of the
 * class evidence in the pixels at or above half the map's maximum, the share that lies in the
 * largest 8-connected region. One whole object gives one region (share near 1); several heads or
 * half bodies spread over the frame give several (share near 1 / their count). The optimization
 * never sees this map, so it is a fair judge of the layout. Connected regions by hand: a flood fill
 * over a float array is a few lines, and imglib2-algorithm would be a new dependency for it.
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
     * The evidence map cut into its regions: {@code label[i]} is 0 below {@link #LEVEL} of the
     * maximum, else the pixel's 8-connected region (1, 2, ...); {@code largest} is the label of the
     * region holding the most evidence.
     */
    public record Regions(int[] label, int largest, double largestShare) {}

    public static Regions regions(float[] map, int w, int h) {
        if (map.length != (long) w * h) {
            throw new IllegalArgumentException("expected " + (long) w * h + " map values, got " + map.length);
        }
        int[] label = new int[map.length];
        float max = 0;
        for (float v : map) {
            max = Math.max(max, v);
        }
        if (!(max > 0)) {
            return new Regions(label, 0, Double.NaN);
        }
        float level = (float) (max * LEVEL);
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        double total = 0;
        double largest = 0;
        int largestLabel = 0;
        int next = 0;
        for (int start = 0; start < map.length; start++) {
            if (label[start] != 0 || map[start] < level) {
                continue;
            }
            double mass = 0;
            label[start] = ++next;
            todo.add(start);
            while (!todo.isEmpty()) {
                int i = todo.poll();
                mass += map[i];
                int x = i % w;
                int y = i / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
                            continue;
                        }
                        int n = ny * w + nx;
                        if (label[n] == 0 && map[n] >= level) {
                            label[n] = next;
                            todo.add(n);
                        }
                    }
                }
            }
            total += mass;
            if (mass > largest) {
                largest = mass;
                largestLabel = next;
            }
        }
        return new Regions(label, largestLabel, largest / total);
    }

    /** The evidence map {@link #largestShare(Backbone, RgbImage, int)} reads (same windows). */
    public static float[] map(Backbone backbone, RgbImage image, int cls) {
        int win = Math.max(16, Math.min(image.width(), image.height()) / 3);
        return EvidenceMap.of(backbone, image, new int[] {cls}, win, Math.max(1, win / 8));
    }
}
