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

    /** One plane of a stack as a reference: its position in words and its pixels as displayed. */
    public record Plane(String label, RgbImage image) {}

    /**
     * Every z-slice and time point of {@code imp} at the current channel (a composite: all its
     * channels blended as displayed), each rendered with the current display range and LUT, for
     * the "all slices as a batch" option. Works on copies; the image's position is not changed.
     */
    public static List<Plane> planes(ImagePlus imp) {
        int nz = imp.getNSlices();
        int nt = imp.getNFrames();
        List<Plane> planes = new java.util.ArrayList<>();
        for (int t = 1; t <= nt; t++) {
            for (int z = 1; z <= nz; z++) {
                String label = (nz > 1 ? "z=" + z : "") + (nz > 1 && nt > 1 ? " " : "") + (nt > 1 ? "t=" + t : "");
                planes.add(new Plane(label, plane(imp, z, t)));
            }
        }
        return planes;
    }

    private static RgbImage plane(ImagePlus imp, int z, int t) {
        ImageStack stack = imp.getStack();
        if (imp.isComposite() && ((CompositeImage) imp).getMode() != CompositeImage.GRAYSCALE) {
            CompositeImage ci = (CompositeImage) imp;
            int nc = imp.getNChannels();
            ImageStack channels = new ImageStack(imp.getWidth(), imp.getHeight());
            for (int c = 1; c <= nc; c++) {
                channels.addSlice(stack.getProcessor(imp.getStackIndex(c, z, t)).duplicate());
            }
            ImagePlus one = new ImagePlus("plane", channels);
            one.setDimensions(nc, 1, 1);
            CompositeImage copy = new CompositeImage(one, ci.getMode());
            for (int c = 1; c <= nc; c++) {
                // The channel LUT carries the channel's display range.
                copy.setChannelLut((ij.process.LUT) ci.getChannelLut(c).clone(), c);
            }
            boolean[] active = ci.getActiveChannels();
            StringBuilder on = new StringBuilder();
            for (int c = 0; c < nc; c++) {
                on.append(c < active.length && active[c] ? '1' : '0');
            }
            copy.setActiveChannels(on.toString());
            return toRgb(copy);
        }
        ImageProcessor shown = imp.getProcessor();
        ImageProcessor ip = stack.getProcessor(imp.getStackIndex(imp.getC(), z, t)).duplicate();
        ip.setLut(shown.getLut());
        ip.setMinAndMax(shown.getMin(), shown.getMax());
        ColorProcessor cp = ip.convertToColorProcessor();
        return RgbImage.fromPackedRgb((int[]) cp.getPixels(), cp.getWidth(), cp.getHeight());
    }

    public static ColorProcessor toProcessor(RgbImage img) {
        return new ColorProcessor(img.toBufferedImage());
    }

    /** A stack of RGB samples, one slice each, labelled with its seed. */
    public static ImagePlus toStack(String title, List<RgbImage> samples, long[] seeds) {
        return toStack(title, samples, seeds, "");
    }

    /** The same, each label starting with {@code prefix} (e.g. the plane the sample came from). */
    public static ImagePlus toStack(String title, List<RgbImage> samples, long[] seeds, String prefix) {
        RgbImage first = samples.get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        for (int i = 0; i < samples.size(); i++) {
            stack.addSlice((prefix.isEmpty() ? "" : prefix + " ") + "seed=" + seeds[i], toProcessor(samples.get(i)));
        }
        return new ImagePlus(title, stack);
    }
}
