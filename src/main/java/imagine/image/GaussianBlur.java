package imagine.image;

/**
 * A separable Gaussian blur of float planes, edges clamped. Written by hand: imglib2-algorithm's
 * Gauss3 does it, but would add that library and its dependencies to the plugin for 30 lines.
 */
public final class GaussianBlur {

    private GaussianBlur() {}

    /** Blurs the {@code w x h} plane at {@code offset} of {@code p} in place with this {@code sigma} (pixels). */
    public static void plane(float[] p, int offset, int w, int h, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int i = -radius; i <= radius; i++) {
                    acc += k[i + radius] * p[offset + y * w + Math.max(0, Math.min(w - 1, x + i))];
                }
                tmp[y * w + x] = acc;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float acc = 0;
                for (int i = -radius; i <= radius; i++) {
                    acc += k[i + radius] * tmp[Math.max(0, Math.min(h - 1, y + i)) * w + x];
                }
                p[offset + y * w + x] = acc;
            }
        }
    }

    /** {@code img} blurred, every channel alike. */
    public static RgbImage of(RgbImage img, double sigma) {
        float[] planes = img.planes().clone();
        int n = img.width() * img.height();
        for (int c = 0; c < 3; c++) {
            plane(planes, c * n, img.width(), img.height(), sigma);
        }
        return new RgbImage(img.width(), img.height(), planes);
    }
}
