package imagine.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import imagine.image.Mask;
import java.util.Random;

/**
 * Draws top-left corners of square crops of one size: anywhere in the frame, or only where the
 * crop's centre lies inside a region, so a patch discriminator compares object patches with
 * object patches and background with background.
 */
public final class CropSampler {

    private final int size;
    private final int width;
    private final int height;
    private final int[] corners; // packed x, y pairs; null = anywhere

    private CropSampler(int size, int width, int height, int[] corners) {
        this.size = size;
        this.width = width;
        this.height = height;
        this.corners = corners;
    }

    public static CropSampler anywhere(long width, long height, int size) {
        int s = (int) Math.min(size, Math.min(width, height));
        return new CropSampler(s, (int) width, (int) height, null);
    }

    /** Crops centred inside {@code region} (falls back to its bounding box centre if it is thinner than a pixel). */
    public static CropSampler inside(Mask region, int size) {
        int w = region.width();
        int h = region.height();
        int s = Math.min(size, Math.min(w, h));
        int n = 0;
        int[] buf = new int[2 * (w - s + 1) * (h - s + 1)];
        for (int y = 0; y <= h - s; y++) {
            for (int x = 0; x <= w - s; x++) {
                if (region.get(x + s / 2, y + s / 2) >= Mask.INSIDE) {
                    buf[n++] = x;
                    buf[n++] = y;
                }
            }
        }
        if (n == 0) {
            int[] b = region.bounds();
            int cx = b == null ? w / 2 : b[0] + b[2] / 2;
            int cy = b == null ? h / 2 : b[1] + b[3] / 2;
            buf[n++] = Math.max(0, Math.min(w - s, cx - s / 2));
            buf[n++] = Math.max(0, Math.min(h - s, cy - s / 2));
        }
        return new CropSampler(s, w, h, java.util.Arrays.copyOf(buf, n));
    }

    int size() {
        return size;
    }

    /** {x, y} of the next crop's top-left corner. */
    int[] next(Random rng) {
        if (corners == null) {
            int y = rng.nextInt(height - size + 1);
            int x = rng.nextInt(width - size + 1);
            return new int[] {x, y};
        }
        int i = rng.nextInt(corners.length / 2);
        return new int[] {corners[2 * i], corners[2 * i + 1]};
    }

    /** {@code count} square crops placed by {@code sampler} from every image, stacked on the batch axis. */
    public static NDArray crops(NDArray x, CropSampler sampler, int count, Random rng, boolean flip) {
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
