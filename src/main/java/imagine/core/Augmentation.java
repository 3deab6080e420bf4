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
        return draw(rng, scale).apply(x);
    }

    /** One random transform; applying it to the pixels and to the region masks keeps them aligned. */
    Jitter draw(Random rng, double scale) {
        int j = (int) Math.round(jitter * scale);
        int dx = 0;
        int dy = 0;
        if (j > 0) {
            dx = rng.nextInt(2 * j + 1) - j;
            dy = rng.nextInt(2 * j + 1) - j;
        }
        return new Jitter(dx, dy, flips && rng.nextBoolean());
    }

    /** A circular shift by (dx, dy) then an optional horizontal flip. */
    record Jitter(int dx, int dy, boolean flip) {
        NDArray apply(NDArray x) {
            NDArray out = roll(roll(x, dx, 3), dy, 2);
            return flip ? out.flip(3) : out;
        }
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
        return crops(x, CropSampler.anywhere(x.getShape().get(3), x.getShape().get(2), size), count, rng, flip);
    }

    /** {@code count} square crops placed by {@code sampler} from every image, stacked on the batch axis. */
    static NDArray crops(NDArray x, CropSampler sampler, int count, Random rng, boolean flip) {
        int s = sampler.size();
        NDList parts = new NDList(count);
        for (int i = 0; i < count; i++) {
            int[] at = sampler.next(rng);
            int y0 = at[1];
            int x0 = at[0];
            NDArray c = x.get(new NDIndex(":, :, {}:{}, {}:{}", y0, y0 + s, x0, x0 + s));
            if (flip && rng.nextBoolean()) {
                c = c.flip(3);
            }
            parts.add(c);
        }
        return count == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }
}
