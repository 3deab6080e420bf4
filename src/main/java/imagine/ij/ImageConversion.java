package imagine.ij;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import imagine.core.SynthesisResult;
import imagine.image.ChannelColors;
import imagine.image.RgbImage;
import java.util.List;

/**
 * ImagePlus to and from the engine's RGB planes, on copies: the user's image is never touched. A
 * gray reference (8, 16 or 32-bit) is mapped through its display range to one gray plane and its
 * samples back to its own type, range and LUT ({@link GrayMapping}); RGB, indexed-colour and
 * composite references as the user sees them (display range, LUT, channel colours).
 */
public final class ImageConversion {

    private ImageConversion() {}

    /**
     * Larger references are scaled down to this many pixels before conversion: the network sees
     * them at about the output size anyway, and a 20000x20000 image as RGB floats would need
     * 4.8 GB.
     */
    public static final long MAX_REFERENCE_PIXELS = 4096L * 4096L;

    /** The factor (at most 1) a reference of this size is scaled by before conversion. */
    public static double workingScale(int width, int height) {
        double px = (double) width * height;
        return px <= MAX_REFERENCE_PIXELS ? 1.0 : Math.sqrt(MAX_REFERENCE_PIXELS / px);
    }

    /**
     * The current plane of {@code imp} in [0, 1] (scaled down when huge): a gray image (8, 16 or
     * 32-bit) as its values through the display range (R = G = B, see {@link GrayMapping}), any
     * other as displayed in RGB.
     */
    public static RgbImage toRgb(ImagePlus imp) {
        CompositeMapping composite = CompositeMapping.of(imp);
        if (composite != null) {
            return composite.reference(imp, imp.getZ(), imp.getT());
        }
        if (imp.isComposite() && ((CompositeImage) imp).getMode() != CompositeImage.GRAYSCALE) {
            // A composite is seen as the blend of its channels: rendered like the display does.
            return plane(imp, imp.getZ(), imp.getT());
        }
        GrayMapping gray = GrayMapping.of(imp);
        if (gray != null) {
            return gray.toUnit(scaled(imp.getProcessor(), imp));
        }
        ImageProcessor ip = scaled(imp.getProcessor(), imp);
        ip.resetRoi();
        // convertToColorProcessor maps 8/16/32-bit through the display range and LUT.
        ColorProcessor cp = ip.convertToColorProcessor();
        return RgbImage.fromPackedRgb((int[]) cp.getPixels(), cp.getWidth(), cp.getHeight());
    }

    /** A copy of {@code ip} at the working scale of {@code imp}, display range and LUT kept. */
    static ImageProcessor scaled(ImageProcessor ip, ImagePlus imp) {
        double s = workingScale(imp.getWidth(), imp.getHeight());
        if (s >= 1) {
            return ip.duplicate();
        }
        int method = ip.getInterpolationMethod(); // the user's processor: leave its settings as they were
        ip.setInterpolationMethod(ImageProcessor.BILINEAR);
        ImageProcessor small = ip.resize(Math.max(1, (int) Math.round(imp.getWidth() * s)),
                Math.max(1, (int) Math.round(imp.getHeight() * s)), true); // averaging when shrinking
        ip.setInterpolationMethod(method);
        small.setLut(ip.getLut());
        small.setMinAndMax(ip.getMin(), ip.getMax());
        return small;
    }

    /**
     * One plane of a stack as a reference: its position in words, its pixels as the engine takes
     * them, and what its samples are made of (gray, RGB, or a composite's channels).
     */
    public record Plane(String label, RgbImage image, ChannelColors colors) {
        public Plane(String label, RgbImage image) {
            this(label, image, ChannelColors.forReference(image));
        }
    }

    /** The current plane of {@code imp} as a reference. */
    public static Plane current(ImagePlus imp) {
        CompositeMapping composite = CompositeMapping.of(imp);
        return composite == null ? new Plane("", toRgb(imp))
                : new Plane("", composite.reference(imp, imp.getZ(), imp.getT()), composite.colors());
    }

    /**
     * Every z-slice and time point of {@code imp} as references, for the "all slices as a batch"
     * option, each taken as {@link #current} takes the current plane (a gray channel through the
     * display range, a 2-3 channel composite as its channels, anything else as displayed). Works on
     * copies; the image's position is not changed.
     */
    public static List<Plane> planes(ImagePlus imp) {
        int nz = imp.getNSlices();
        int nt = imp.getNFrames();
        List<Plane> planes = new java.util.ArrayList<>();
        CompositeMapping composite = CompositeMapping.of(imp);
        for (int t = 1; t <= nt; t++) {
            for (int z = 1; z <= nz; z++) {
                String label = (nz > 1 ? "z=" + z : "") + (nz > 1 && nt > 1 ? " " : "") + (nt > 1 ? "t=" + t : "");
                planes.add(composite == null ? new Plane(label, plane(imp, z, t))
                        : new Plane(label, composite.reference(imp, z, t), composite.colors()));
            }
        }
        return planes;
    }

    private static RgbImage plane(ImagePlus imp, int z, int t) {
        ImageStack stack = imp.getStack();
        if (imp.isComposite() && ((CompositeImage) imp).getMode() != CompositeImage.GRAYSCALE) {
            CompositeImage ci = (CompositeImage) imp;
            int nc = imp.getNChannels();
            double s = workingScale(imp.getWidth(), imp.getHeight());
            ImageStack channels = s >= 1 ? new ImageStack(imp.getWidth(), imp.getHeight())
                    : new ImageStack(Math.max(1, (int) Math.round(imp.getWidth() * s)),
                            Math.max(1, (int) Math.round(imp.getHeight() * s)));
            for (int c = 1; c <= nc; c++) {
                channels.addSlice(scaled(stack.getProcessor(imp.getStackIndex(c, z, t)), imp));
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
            copy.updateImage(); // rendered like the display does
            ColorProcessor cp = new ColorProcessor(copy.getImage());
            return RgbImage.fromPackedRgb((int[]) cp.getPixels(), cp.getWidth(), cp.getHeight());
        }
        ImageProcessor shown = imp.getProcessor();
        ImageProcessor raw = stack.getProcessor(imp.getStackIndex(imp.getC(), z, t));
        GrayMapping gray = GrayMapping.of(imp);
        if (gray != null) {
            return gray.toUnit(scaled(raw, imp));
        }
        raw.setLut(shown.getLut());
        raw.setMinAndMax(shown.getMin(), shown.getMax());
        ImageProcessor ip = scaled(raw, imp);
        ColorProcessor cp = ip.convertToColorProcessor();
        return RgbImage.fromPackedRgb((int[]) cp.getPixels(), cp.getWidth(), cp.getHeight());
    }

    public static ColorProcessor toProcessor(RgbImage img) {
        return new ColorProcessor(img.toBufferedImage());
    }

    /** A stack of RGB samples, one slice each, labelled with its seed. */
    public static ImagePlus toStack(String title, List<RgbImage> samples, long[] seeds) {
        RgbImage first = samples.get(0);
        ImageStack stack = new ImageStack(first.width(), first.height());
        addSamples(stack, samples, seeds, "", null);
        return new ImagePlus(title, stack);
    }

    /**
     * Appends a composite run's samples to {@code stack}, channels fastest, each labelled "[channel
     * name ][prefix ]seed=S": the name first, where ImageJ shows a channel's name.
     */
    public static void addChannels(ImageStack stack, SynthesisResult r, String prefix, CompositeMapping composite) {
        int w = stack.getWidth();
        int h = stack.getHeight();
        for (int i = 0; i < r.samples().size(); i++) {
            List<ImageProcessor> channels = composite.fromUnit(r.channels().get(i), w, h);
            for (int c = 0; c < channels.size(); c++) {
                String name = composite.names().get(c);
                stack.addSlice((name.isEmpty() ? "" : name + " ") + (prefix.isEmpty() ? "" : prefix + " ") + "seed="
                        + r.seeds()[i], channels.get(c));
            }
        }
    }

    /**
     * Appends samples to {@code stack}, each labelled "[prefix ]seed=S": RGB, or with {@code gray}
     * in the reference's own type and value range.
     */
    public static void addSamples(ImageStack stack, List<RgbImage> samples, long[] seeds, String prefix,
            GrayMapping gray) {
        for (int i = 0; i < samples.size(); i++) {
            RgbImage s = samples.get(i);
            stack.addSlice((prefix.isEmpty() ? "" : prefix + " ") + "seed=" + seeds[i],
                    gray == null ? toProcessor(s) : gray.fromUnit(s));
        }
    }
}
