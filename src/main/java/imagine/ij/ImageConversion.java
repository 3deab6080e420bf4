package imagine.ij;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import imagine.core.RgbImage;
import java.util.List;

/**
 * ImagePlus to and from the engine's RGB planes. The reference is mapped through its display
 * (display range, LUT, composite channel colours) exactly as the user sees it, on a copy: the
 * user's image is never touched.
 */
public final class ImageConversion {

    private ImageConversion() {}

    /** The current plane of {@code imp} as displayed, as RGB in [0, 1]. */
    public static RgbImage toRgb(ImagePlus imp) {
        ColorProcessor cp;
        if (imp.isComposite() && ((CompositeImage) imp).getMode() != CompositeImage.GRAYSCALE) {
            // A composite is seen as the blend of its channels: render it like the display does.
            CompositeImage ci = (CompositeImage) imp;
            ci.updateImage();
            cp = new ColorProcessor(ci.getImage());
        } else {
            ImageProcessor ip = imp.getProcessor().duplicate();
            ip.resetRoi();
            // convertToColorProcessor maps 8/16/32-bit through the display range and LUT.
            cp = ip.convertToColorProcessor();
        }
        return RgbImage.fromPackedRgb((int[]) cp.getPixels(), cp.getWidth(), cp.getHeight());
    }

    public static ColorProcessor toProcessor(RgbImage img) {
        return new ColorProcessor(img.toBufferedImage());
    }

    /** A stack of RGB samples, one slice each, labelled with its seed. */
    public static ImagePlus toStack(String title, List<RgbImage> samples, long[] seeds) {
        RgbImage first = samples.get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (int i = 0; i < samples.size(); i++) {
            stack.addSlice("seed=" + seeds[i], toProcessor(samples.get(i)));
        }
        return new ImagePlus(title, stack);
    }
}
