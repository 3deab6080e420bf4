package imagine.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * An RGB image as planar floats in [0, 1] (channel-major, then rows): the engine's exchange type,
 * free of any ImageJ or imglib2 class so front ends convert at their edge.
 */
public record RgbImage(int width, int height, float[] planes) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (planes.length != 3L * width * height) {
            throw new IllegalArgumentException("expected " + 3L * width * height + " values, got " + planes.length);
        }
    }

    public float get(int c, int x, int y) {
        return planes[(c * height + y) * width + x];
    }

    /**
     * An image file's pixels in [0, 1]. A one-band gray image is read from its samples (R = G = B):
     * Java's getRGB would pass them through its linear-gray-to-sRGB conversion and brighten the
     * mid-tones, so a gray PNG written by this program would not read back as written. 8-bit gray
     * is divided by 255; 16-bit gray is stretched from its smallest to its largest value, as Fiji
     * shows a 16-bit image it opens.
     */
    public static RgbImage fromBufferedImage(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        java.awt.image.Raster r = img.getRaster();
        if (r.getNumBands() == 1 && !(img.getColorModel() instanceof java.awt.image.IndexColorModel)) {
            int n = w * h;
            double[] v = r.getSamples(0, 0, w, h, 0, (double[]) null);
            int type = r.getDataBuffer().getDataType();
            boolean wide = r.getSampleModel().getSampleSize(0) > 8 || type == java.awt.image.DataBuffer.TYPE_FLOAT
                    || type == java.awt.image.DataBuffer.TYPE_DOUBLE;
            double[] range = wide ? range(v) : new double[] {0, 255};
            double lo = range[0];
            double hi = range[1];
            float[] p = new float[3 * n];
            for (int i = 0; i < n; i++) {
                // A value outside the finite range (NaN, infinite) reads as the smallest.
                float u = hi > lo && Double.isFinite(v[i]) ? (float) ((v[i] - lo) / (hi - lo)) : 0f;
                p[i] = u;
                p[n + i] = u;
                p[2 * n + i] = u;
            }
            return new RgbImage(w, h, p);
        }
        return fromPackedRgb(img.getRGB(0, 0, w, h, null, 0, w), w, h);
    }

    /**
     * The smallest and largest finite value of {@code samples}: the range a wide gray image is read
     * stretched over ({0, 0} when none is finite).
     */
    public static double[] range(double[] samples) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double x : samples) {
            if (Double.isFinite(x)) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        return lo > hi ? new double[] {0, 0} : new double[] {lo, hi};
    }

    /** From packed (A)RGB ints, row-major, as BufferedImage and ImageJ's ColorProcessor hold them. */
    public static RgbImage fromPackedRgb(int[] argb, int w, int h) {
        float[] p = new float[3 * w * h];
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            int v = argb[i];
            p[i] = ((v >> 16) & 0xff) / 255f;
            p[plane + i] = ((v >> 8) & 0xff) / 255f;
            p[2 * plane + i] = (v & 0xff) / 255f;
        }
        return new RgbImage(w, h, p);
    }

    /** Whether every pixel has R = G = B. */
    public boolean isGray() {
        int plane = width * height;
        for (int i = 0; i < plane; i++) {
            if (planes[i] != planes[plane + i] || planes[i] != planes[2 * plane + i]) {
                return false;
            }
        }
        return true;
    }

    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        int[] rgb = new int[plane];
        for (int i = 0; i < plane; i++) {
            rgb[i] = (to8(planes[i]) << 16) | (to8(planes[plane + i]) << 8) | to8(planes[2 * plane + i]);
        }
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }

    /** The first plane as an 8-bit gray image (for gray samples, where R = G = B). */
    public BufferedImage toGrayBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < width * height; i++) {
            data[i] = (byte) to8(planes[i]);
        }
        return img;
    }

    private static int to8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }

    /** Resamples with Java2D's bicubic filter, halving step by step when shrinking so no detail aliases. */
    public RgbImage resize(int w, int h) {
        if (w == width && h == height) {
            return this;
        }
        BufferedImage cur = toBufferedImage();
        int cw = width;
        int ch = height;
        do {
            cw = Math.max(w, cw / 2 >= w ? cw / 2 : w);
            ch = Math.max(h, ch / 2 >= h ? ch / 2 : h);
            BufferedImage next = new BufferedImage(cw, ch, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(cur, 0, 0, cw, ch, null);
            g.dispose();
            cur = next;
        } while (cw != w || ch != h);
        return fromBufferedImage(cur);
    }

    /**
     * This image scaled by {@code factor} so its object matches the targets' size, bounded so a
     * tiny target cannot shrink it below what the backbone can read and a huge one cannot make a
     * stage cost more than four output frames of {@code w x h}.
     */
    public RgbImage scaledForTargets(double factor, int w, int h) {
        double f = targetFactor(width, height, factor, w, h);
        int rw = (int) Math.max(16, Math.round(width * f));
        int rh = (int) Math.max(16, Math.round(height * f));
        return resize(rw, rh);
    }

    /** The factor {@link #scaledForTargets} scales a {@code width x height} image by: {@code factor}, within its bounds. */
    public static double targetFactor(int width, int height, double factor, int w, int h) {
        double f = Math.max(factor, 32.0 / Math.min(width, height));
        return Math.min(f, Math.sqrt(4.0 * w * h / ((double) width * height)));
    }

    /** This image resized to about the pixel count of {@code w x h}, keeping its aspect ratio. */
    public RgbImage scaledToArea(int w, int h) {
        int rw = areaWidth(width, height, w, h);
        int rh = (int) Math.max(16, Math.round(rw / ((double) width / height)));
        return resize(rw, rh);
    }

    /** The width {@link #scaledToArea} gives a {@code width x height} image: its scale is this over {@code width}. */
    public static int areaWidth(int width, int height, int w, int h) {
        return (int) Math.max(16, Math.round(Math.sqrt((double) w * h * width / height)));
    }

    /** The rectangle {x, y, w, h}, which must lie inside the image. */
    public RgbImage crop(int x, int y, int w, int h) {
        float[] out = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int r = 0; r < h; r++) {
                System.arraycopy(planes, (c * height + y + r) * width + x, out, (c * h + r) * w, w);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** The images as one batch (N, 3, H, W) on {@code m}'s device; all must have the first one's size. */
    public static NDArray stack(List<RgbImage> images, NDManager m) {
        RgbImage first = images.get(0);
        int plane = first.planes.length;
        float[] all = new float[images.size() * plane];
        for (int i = 0; i < images.size(); i++) {
            RgbImage img = images.get(i);
            if (img.width != first.width || img.height != first.height) {
                throw new IllegalArgumentException("a batch needs one size: " + img.width + "x" + img.height + " vs "
                        + first.width + "x" + first.height);
            }
            System.arraycopy(img.planes, 0, all, i * plane, plane);
        }
        return m.create(all, new Shape(images.size(), 3, first.height, first.width));
    }

    /** This image as a batch of one, (1, 3, H, W). */
    public NDArray toArray(NDManager m) {
        return m.create(planes, new Shape(1, 3, height, width));
    }

    /** The images of a batch (N, 3, H, W), copied to the host. */
    public static List<RgbImage> unstack(NDArray batch) {
        Shape s = batch.getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] all = batch.toFloatArray();
        List<RgbImage> out = new ArrayList<>(n);
        int plane = 3 * w * h;
        for (int i = 0; i < n; i++) {
            float[] p = new float[plane];
            System.arraycopy(all, i * plane, p, 0, plane);
            out.add(new RgbImage(w, h, p));
        }
        return out;
    }

    /** Mean absolute difference per value; both images must be the same size. */
    public double meanAbsDifference(RgbImage o) {
        if (o.width != width || o.height != height) {
            throw new IllegalArgumentException("sizes differ");
        }
        double s = 0;
        for (int i = 0; i < planes.length; i++) {
            s += Math.abs(planes[i] - o.planes[i]);
        }
        return s / planes.length;
    }
}
