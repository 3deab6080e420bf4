package imagine.ij;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import imagine.image.RgbImage;

/**
 * How a gray reference's values become the engine's [0, 1] and how its samples go back: value v
 * maps to (v - min) / (max - min) through the display range, clipped, and inverted under an
 * inverting LUT so the classifier sees the brightness the user sees; the samples come back as
 * the reference's type (8, 16 or 32-bit) with values in the display range and the reference's
 * LUT and display range, so a 16-bit fluorescence image gives 16-bit samples. The LUT's colours
 * are not shown to the classifier: a green or fire LUT colours the display, not the data.
 *
 * @param bitDepth 8, 16 or 32
 * @param min the display range's minimum
 * @param max the display range's maximum
 * @param inverted whether the LUT inverts (white = low values)
 * @param lut the LUT the samples are shown with
 */
public record GrayMapping(int bitDepth, double min, double max, boolean inverted, LUT lut) {

    /**
     * The mapping of {@code imp}'s current channel, or null when it is not a gray image: RGB,
     * indexed colour (8-bit colour) and composites shown in colour keep the RGB route.
     */
    public static GrayMapping of(ImagePlus imp) {
        int type = imp.getType();
        if (type != ImagePlus.GRAY8 && type != ImagePlus.GRAY16 && type != ImagePlus.GRAY32) {
            return null;
        }
        if (imp.isComposite() && ((CompositeImage) imp).getMode() != CompositeImage.GRAYSCALE) {
            return null;
        }
        ImageProcessor ip = imp.getProcessor();
        return new GrayMapping(imp.getBitDepth(), ip.getMin(), ip.getMax(), ip.isInvertedLut(), (LUT) ip.getLut().clone());
    }

    /** How many pixels of a 32-bit image's planes hold NaN or an infinite value (0 for other types). */
    public static long notFinite(ImagePlus imp) {
        if (imp.getBitDepth() != 32) {
            return 0;
        }
        long n = 0;
        for (int i = 1; i <= imp.getStackSize(); i++) {
            for (float v : (float[]) imp.getStack().getProcessor(i).getPixels()) {
                n += Float.isFinite(v) ? 0 : 1;
            }
        }
        return n;
    }

    /** {@code ip}'s values as one gray plane (R = G = B) in [0, 1]; NaN counts as the minimum. */
    public RgbImage toUnit(ImageProcessor ip) {
        int n = ip.getWidth() * ip.getHeight();
        float[] p = new float[3 * n];
        toUnit(ip, p, 0);
        System.arraycopy(p, 0, p, n, n);
        System.arraycopy(p, 0, p, 2 * n, n);
        return new RgbImage(ip.getWidth(), ip.getHeight(), p);
    }

    /** {@code ip}'s values in [0, 1] written into {@code out} from {@code offset}. */
    public void toUnit(ImageProcessor ip, float[] out, int offset) {
        int n = ip.getWidth() * ip.getHeight();
        for (int i = 0; i < n; i++) {
            out[offset + i] = unit(ip.getf(i));
        }
    }

    float unit(double v) {
        double d = max > min ? (v - min) / (max - min) : 0;
        d = Double.isNaN(d) ? 0 : Math.max(0, Math.min(1, d)); // +-infinity clip to the ends, NaN is the minimum
        return (float) (inverted ? 1 - d : d);
    }

    /** A sample (its first plane, R = G = B for a gray run) as the reference's type, LUT and display range. */
    public ImageProcessor fromUnit(RgbImage sample) {
        return fromUnit(sample.planes(), 0, sample.width(), sample.height());
    }

    /** The plane of {@code w x h} values in [0, 1] at {@code offset} of {@code u}, in the reference's type. */
    public ImageProcessor fromUnit(float[] u, int offset, int w, int h) {
        ImageProcessor ip = switch (bitDepth) {
            case 8 -> new ByteProcessor(w, h);
            case 16 -> new ShortProcessor(w, h);
            default -> new FloatProcessor(w, h);
        };
        double hi = bitDepth == 8 ? 255 : 65535;
        for (int i = 0; i < w * h; i++) {
            double v = value(u[offset + i]);
            ip.setf(i, (float) (bitDepth == 32 ? v : Math.max(0, Math.min(hi, Math.round(v)))));
        }
        ip.setLut(lut);
        ip.setMinAndMax(min, max);
        return ip;
    }

    double value(float unit) {
        double d = inverted ? 1 - unit : unit;
        return min + d * (max - min);
    }
}
