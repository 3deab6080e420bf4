package imagine.image;

/**
 * A soft region mask, row-major floats in [0, 1] (1 = inside). Used for the reference's object
 * region and for target regions in the output frame. Plain Java: no ImageJ, no NDArrays, so
 * front ends build masks from their ROIs and the engine uploads them per stage.
 */
public record Mask(int width, int height, float[] values) {

    /** Values at or above this count as inside when a mask is binarized (bounding box, area). */
    public static final float INSIDE = 0.5f;

    public Mask {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("mask size must be positive, got " + width + "x" + height);
        }
        if (values.length != (long) width * height) {
            throw new IllegalArgumentException("expected " + (long) width * height + " mask values, got " + values.length);
        }
    }

    /** All inside. */
    public static Mask full(int w, int h) {
        float[] v = new float[w * h];
        java.util.Arrays.fill(v, 1f);
        return new Mask(w, h, v);
    }

    /** A filled rectangle, clipped to the frame. */
    public static Mask box(int w, int h, int bx, int by, int bw, int bh) {
        float[] v = new float[w * h];
        for (int y = Math.max(0, by); y < Math.min(h, by + bh); y++) {
            for (int x = Math.max(0, bx); x < Math.min(w, bx + bw); x++) {
                v[y * w + x] = 1f;
            }
        }
        return new Mask(w, h, v);
    }

    /** From gray values: anything above {@code threshold} is inside. */
    public static Mask threshold(float[] gray, int w, int h, float threshold) {
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = gray[i] > threshold ? 1f : 0f;
        }
        return new Mask(w, h, v);
    }

    /**
     * A mask from gray values in [0, 1]: the object is the bright pixels, unless most of the frame's
     * border is bright, in which case it is the dark ones (a black silhouette on white, as drawn
     * shapes usually come). Either way the object is what stands out from the border.
     */
    public static Mask fromGray(float[] gray, int w, int h) {
        long border = 0;
        long bright = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) {
                    border++;
                    bright += gray[y * w + x] >= 0.5f ? 1 : 0;
                }
            }
        }
        boolean darkObject = 2 * bright > border;
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = (gray[i] >= 0.5f) != darkObject ? 1f : 0f;
        }
        return new Mask(w, h, v);
    }

    /** A mask image's luminance, read with {@link #fromGray}. */
    public static Mask fromImage(RgbImage img) {
        int n = img.width() * img.height();
        float[] p = img.planes();
        float[] gray = new float[n];
        for (int i = 0; i < n; i++) {
            gray[i] = 0.299f * p[i] + 0.587f * p[n + i] + 0.114f * p[2 * n + i];
        }
        return fromGray(gray, img.width(), img.height());
    }

    public float get(int x, int y) {
        return values[y * width + x];
    }

    /** Pixels counted inside. */
    public long area() {
        long n = 0;
        for (float f : values) {
            if (f >= INSIDE) {
                n++;
            }
        }
        return n;
    }

    public boolean isEmpty() {
        return area() == 0;
    }

    public boolean isFull() {
        return area() == (long) width * height;
    }

    /** Fraction of the frame inside. */
    public double coverage() {
        return (double) area() / ((long) width * height);
    }

    /** {x, y, width, height} of the inside pixels, or null when empty. */
    public int[] bounds() {
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (values[y * width + x] >= INSIDE) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? null : new int[] {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
    }

    public Mask inverted() {
        float[] v = new float[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1f - values[i];
        }
        return new Mask(width, height, v);
    }

    /** This mask in a frame {@code m} pixels larger on every side, the new border outside (0). */
    public Mask padded(int m) {
        if (m == 0) {
            return this;
        }
        int w = width + 2 * m;
        float[] v = new float[w * (height + 2 * m)];
        for (int y = 0; y < height; y++) {
            System.arraycopy(values, y * width, v, (y + m) * w + m, width);
        }
        return new Mask(w, height + 2 * m, v);
    }

    /** Pixel-wise maximum; both masks must be the same size. */
    public Mask union(Mask o) {
        requireSameSize(o);
        float[] v = new float[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(values[i], o.values[i]);
        }
        return new Mask(width, height, v);
    }

    /** Pixels inside both binarized masks. */
    public long overlap(Mask o) {
        requireSameSize(o);
        long n = 0;
        for (int i = 0; i < values.length; i++) {
            n += values[i] >= INSIDE && o.values[i] >= INSIDE ? 1 : 0;
        }
        return n;
    }

    /** Intersection over union of the binarized masks (1 when both are empty). */
    public double iou(Mask o) {
        long inter = overlap(o);
        long uni = area() + o.area() - inter;
        return uni == 0 ? 1 : (double) inter / uni;
    }

    /**
     * Bilinear resampling (box-averaged when shrinking, so thin shapes are not lost). Hand-written:
     * a mask is one float plane, and Java2D has no float single-band resampler that averages.
     */
    public Mask resize(int w, int h) {
        if (w == width && h == height) {
            return this;
        }
        return resample(0, 0, width, height, w, h);
    }

    /** The sub-rectangle {x, y, w, h} of this mask, resampled to {@code w} x {@code h}. */
    Mask resample(double sx, double sy, double sw, double sh, int w, int h) {
        float[] v = new float[w * h];
        double fx = sw / w;
        double fy = sh / h;
        for (int y = 0; y < h; y++) {
            double ya = sy + y * fy;
            double yb = ya + fy;
            for (int x = 0; x < w; x++) {
                double xa = sx + x * fx;
                double xb = xa + fx;
                v[y * w + x] = fx >= 1 || fy >= 1 ? boxMean(xa, ya, xb, yb) : bilinear(xa + fx / 2 - 0.5, ya + fy / 2 - 0.5);
            }
        }
        return new Mask(w, h, v);
    }

    private float boxMean(double xa, double ya, double xb, double yb) {
        double sum = 0;
        double wsum = 0;
        for (int y = (int) Math.floor(ya); y < Math.ceil(yb); y++) {
            double wy = Math.min(yb, y + 1) - Math.max(ya, y);
            for (int x = (int) Math.floor(xa); x < Math.ceil(xb); x++) {
                double wx = Math.min(xb, x + 1) - Math.max(xa, x);
                double wgt = wx * wy;
                if (wgt > 0) {
                    sum += wgt * clampedGet(x, y);
                    wsum += wgt;
                }
            }
        }
        return wsum == 0 ? 0f : (float) (sum / wsum);
    }

    private float bilinear(double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double ax = x - x0;
        double ay = y - y0;
        return (float) ((1 - ay) * ((1 - ax) * clampedGet(x0, y0) + ax * clampedGet(x0 + 1, y0))
                + ay * ((1 - ax) * clampedGet(x0, y0 + 1) + ax * clampedGet(x0 + 1, y0 + 1)));
    }

    private float clampedGet(int x, int y) {
        return values[Math.max(0, Math.min(height - 1, y)) * width + Math.max(0, Math.min(width - 1, x))];
    }

    /**
     * This mask's object (its bounding box) scaled into the rectangle {bx, by, bw, bh} of a
     * {@code w} x {@code h} frame: position control with an object mask is shape control with a
     * moved and scaled copy of the object's silhouette.
     */
    public Mask placedInto(int w, int h, int bx, int by, int bw, int bh) {
        int[] b = bounds();
        if (b == null) {
            throw new IllegalArgumentException("the mask is empty");
        }
        // Only the part of the box inside the frame is sampled: a box far larger than the frame costs
        // no more than the frame (a whole-box resample of 65536 x 65536 would not fit in memory).
        double fx = (double) b[2] / bw;
        double fy = (double) b[3] / bh;
        float[] v = new float[w * h];
        for (int ty = Math.max(0, by); ty < Math.min((long) h, (long) by + bh); ty++) {
            double ya = b[1] + (ty - (long) by) * fy;
            for (int tx = Math.max(0, bx); tx < Math.min((long) w, (long) bx + bw); tx++) {
                double xa = b[0] + (tx - (long) bx) * fx;
                v[ty * w + tx] = fx >= 1 || fy >= 1 ? boxMean(xa, ya, xa + fx, ya + fy)
                        : bilinear(xa + fx / 2 - 0.5, ya + fy / 2 - 0.5);
            }
        }
        return new Mask(w, h, v);
    }

    private void requireSameSize(Mask o) {
        if (o.width != width || o.height != height) {
            throw new IllegalArgumentException("mask sizes differ: " + width + "x" + height + " and " + o.width + "x" + o.height);
        }
    }
}
