package imagine.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import imagine.image.Mask;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.ClassProbabilities;
import imagine.model.Engines;
import imagine.model.GradMode;

/**
 * Where in an image a class is seen, measured independently of the objective: the backbone's
 * probability of the class when only one square window of the image is visible (kept in place
 * and at scale, the rest painted mid-gray), for sliding windows, with every pixel given the mean
 * over the windows that contain it. Keeping the scale matters: a crop enlarged to the network's
 * input looks blurred and loses its class. Used to check position and shape control (IoU of the
 * thresholded map with the target) and by the report.
 */
public final class EvidenceMap {

    private static final int BATCH = 8;

    private EvidenceMap() {}

    /**
     * Per-pixel evidence in [0, 1], row-major {@code image.width() * image.height()}. The evidence
     * of several classes is their summed probability (ImageNet splits one kind of object into
     * near-synonyms such as tabby and Egyptian cat).
     */
    public static float[] of(Backbone backbone, RgbImage image, int[] cls, int window, int stride) {
        int w = image.width();
        int h = image.height();
        int win = Math.min(window, Math.min(w, h));
        int[] xs = positions(w, win, stride);
        int[] ys = positions(h, win, stride);
        float[] sum = new float[w * h];
        float[] count = new float[w * h];
        int n = xs.length * ys.length;
        for (int start = 0; start < n; start += BATCH) {
            int b = Math.min(BATCH, n - start);
            RgbImage[] crops = new RgbImage[b];
            for (int i = 0; i < b; i++) {
                int k = start + i;
                crops[i] = window(image, xs[k % xs.length], ys[k / xs.length], win, win);
            }
            float[] p = probabilities(backbone, crops, cls);
            for (int i = 0; i < b; i++) {
                int k = start + i;
                int x0 = xs[k % xs.length];
                int y0 = ys[k / xs.length];
                for (int y = y0; y < y0 + win; y++) {
                    for (int x = x0; x < x0 + win; x++) {
                        sum[y * w + x] += p[i];
                        count[y * w + x]++;
                    }
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] = count[i] > 0 ? sum[i] / count[i] : 0;
        }
        return sum;
    }

    /** The backbone's probability of {@code cls} when only the rectangle is visible. */
    public static double inBox(Backbone backbone, RgbImage image, int[] cls, int x, int y, int bw, int bh) {
        return probabilities(backbone, new RgbImage[] {window(image, x, y, bw, bh)}, cls)[0];
    }

    /** Pixels at or above {@code fraction} of the map's maximum. */
    public static Mask threshold(float[] map, int w, int h, double fraction) {
        float max = 0;
        for (float v : map) {
            max = Math.max(max, v);
        }
        float t = (float) (max * fraction);
        float[] m = new float[map.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = max > 0 && map[i] >= t ? 1f : 0f;
        }
        return new Mask(w, h, m);
    }

    /** How well a map agrees with a target region. */
    public record Agreement(double iou, double meanInside, double meanOutside) {}

    /** IoU of the map thresholded at {@code fraction} of its maximum with {@code target}, and the mean evidence in and out. */
    public static Agreement agreement(float[] map, Mask target, double fraction) {
        double in = 0;
        double out = 0;
        long nIn = 0;
        long nOut = 0;
        for (int i = 0; i < map.length; i++) {
            if (target.values()[i] >= Mask.INSIDE) {
                in += map[i];
                nIn++;
            } else {
                out += map[i];
                nOut++;
            }
        }
        double iou = threshold(map, target.width(), target.height(), fraction).iou(target);
        return new Agreement(iou, nIn == 0 ? Double.NaN : in / nIn, nOut == 0 ? Double.NaN : out / nOut);
    }

    private static int[] positions(int size, int win, int stride) {
        int n = (size - win) / stride + 1;
        boolean tail = (size - win) % stride != 0;
        int[] p = new int[n + (tail ? 1 : 0)];
        for (int i = 0; i < n; i++) {
            p[i] = i * stride;
        }
        if (tail) {
            p[n] = size - win; // the last window ends at the border, so every pixel is covered
        }
        return p;
    }

    /** The image with everything outside the rectangle painted mid-gray. */
    private static RgbImage window(RgbImage img, int x0, int y0, int cw, int ch) {
        float[] out = new float[img.planes().length];
        java.util.Arrays.fill(out, 0.5f);
        for (int c = 0; c < 3; c++) {
            for (int y = y0; y < y0 + ch; y++) {
                int at = (c * img.height() + y) * img.width() + x0;
                System.arraycopy(img.planes(), at, out, at, cw);
            }
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    private static float[] probabilities(Backbone backbone, RgbImage[] imgs, int[] cls) {
        try (GradMode g = GradMode.off(); NDManager m = Engines.newManager(backbone.device())) {
            ClassProbabilities p = backbone.probabilities(RgbImage.stack(java.util.List.of(imgs), m));
            float[] out = new float[imgs.length];
            for (int i = 0; i < imgs.length; i++) {
                for (int c : cls) {
                    out[i] += p.get(i, c);
                }
            }
            return out;
        }
    }
}
