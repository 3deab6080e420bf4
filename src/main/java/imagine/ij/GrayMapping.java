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

    /** {@code ip}'s values as one gray plane (R = G = B) in [0, 1]; NaN counts as the minimum. */
    public RgbImage toUnit(ImageProcessor ip) {
        int w = ip.getWidth();
        int h = ip.getHeight();
        int n = w * h;
        float[] p = new float[3 * n];
        for (int i = 0; i < n; i++) {
            float u = unit(ip.getf(i));
            p[i] = u;
            p[n + i] = u;
            p[2 * n + i] = u;
        }
        return new RgbImage(w, h, p);
    }

    float unit(double v) {
        double d = max > min ? (v - min) / (max - min) : 0;
        d = Double.isNaN(d) ? 0 : Math.max(0, Math.min(1, d));
        return (float) (inverted ? 1 - d : d);
    }

    /** A sample (its first plane, R = G = B for a gray run) as the reference's type, LUT and display range. */
    public ImageProcessor fromUnit(RgbImage sample) {
        int w = sample.width();
        int h = sample.height();
        ImageProcessor ip = switch (bitDepth) {
            case 8 -> new ByteProcessor(w, h);
            case 16 -> new ShortProcessor(w, h);
            default -> new FloatProcessor(w, h);
        };
        float[] u = sample.planes();
        double hi = bitDepth == 8 ? 255 : 65535;
        for (int i = 0; i < w * h; i++) {
            double v = value(u[i]);
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
