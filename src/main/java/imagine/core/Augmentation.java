package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import java.util.Random;

/**
 * Random jitter (a circular shift, as DeepInversion's roll) and horizontal flip, drawn from the
 * run's seeded generator so a run is reproducible. Both are differentiable views of the pixels.
 */
final class Augmentation {

    private final int jitter;
    private final boolean flips;

    Augmentation(int jitter, boolean flips) {
        this.jitter = jitter;
        this.flips = flips;
    }

    NDArray apply(NDArray x, Random rng, double scale) {
        int j = (int) Math.round(jitter * scale);
        NDArray out = x;
        if (j > 0) {
            out = roll(out, rng.nextInt(2 * j + 1) - j, 3);
            out = roll(out, rng.nextInt(2 * j + 1) - j, 2);
        }
        if (flips && rng.nextBoolean()) {
            out = out.flip(3);
        }
        return out;
    }

    static NDArray roll(NDArray x, int shift, int axis) {
        long n = x.getShape().get(axis);
        int s = (int) Math.floorMod(shift, n);
        if (s == 0) {
            return x;
        }
        NDIndex tail = new NDIndex().addAllDim(axis).addSliceDim(n - s, n);
        NDIndex head = new NDIndex().addAllDim(axis).addSliceDim(0, n - s);
        return NDArrays.concat(new NDList(x.get(tail), x.get(head)), axis);
    }

    /** {@code count} random square crops of side {@code size} from every image, stacked on the batch axis. */
    static NDArray crops(NDArray x, int size, int count, Random rng, boolean flip) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        int s = (int) Math.min(size, Math.min(h, w));
        NDList parts = new NDList(count);
        for (int i = 0; i < count; i++) {
            int y0 = rng.nextInt((int) (h - s) + 1);
            int x0 = rng.nextInt((int) (w - s) + 1);
            NDArray c = x.get(new NDIndex(":, :, {}:{}, {}:{}", y0, y0 + s, x0, x0 + s));
            if (flip && rng.nextBoolean()) {
                c = c.flip(3);
            }
            parts.add(c);
        }
        return count == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }
}
