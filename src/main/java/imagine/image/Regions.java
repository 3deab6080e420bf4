package imagine.image;

import java.util.ArrayDeque;

/**
 * A non-negative map cut into its regions: {@code label[i]} is 0 below the level, else the pixel's
 * 8-connected region (1, 2, ...); {@code largest} is the label of the region holding the most of
 * the map's mass and {@code largestShare} that region's share of the mass above the level (NaN for
 * a map without mass). Connected regions by hand: a flood fill over a float array is a few lines,
 * and imglib2-algorithm would be a new dependency for it.
 */
public record Regions(int[] label, int largest, double largestShare) {

    /** The regions at or above {@code level} times the map's maximum. */
    public static Regions of(float[] map, int w, int h, double level) {
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
        float at = (float) (max * level);
        ArrayDeque<Integer> todo = new ArrayDeque<>();
        double total = 0;
        double largest = 0;
        int largestLabel = 0;
        int next = 0;
        for (int start = 0; start < map.length; start++) {
            if (label[start] != 0 || map[start] < at) {
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
                        if (label[n] == 0 && map[n] >= at) {
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

    /** The largest region as a mask (1 inside, 0 elsewhere); empty for a map without mass. */
    public Mask largestMask(int w, int h) {
        float[] v = new float[label.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = largest != 0 && label[i] == largest ? 1f : 0f;
        }
        return new Mask(w, h, v);
    }
}
