package imagine.ij;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ImageProcessor;
import ij.process.LUT;
import imagine.image.ChannelColors;
import imagine.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The two or three channels a composite shows in composite mode, as the engine optimizes them: each
 * channel through its own display range ({@link GrayMapping}), shown in RGB with its LUT's colour
 * (the colour at the top of the LUT), blended as Fiji blends them. The samples come back as a
 * composite of those channels, with their LUTs and display ranges. The channels shown are the ones
 * switched on (Image &gt; Color &gt; Channels Tool), so a user picks two or three of a wider
 * composite there. More than three shown, one alone, "color" mode or an inverting channel LUT keep
 * the RGB route (the blend as displayed).
 *
 * @param channels one mapping per channel taken, in channel order
 * @param indices the reference's channel (1-based) of each
 * @param names each one's name (its slice label at the reference's current plane; "" when none), kept
 *     on the samples' channels
 */
public record CompositeMapping(List<GrayMapping> channels, List<Integer> indices, List<String> names) {

    /** The most channels optimized channel by channel. */
    public static final int MAX_CHANNELS = 3;

    /** The mapping of {@code imp}, or null when it is not a composite this route takes. */
    public static CompositeMapping of(ImagePlus imp) {
        if (!inCompositeMode(imp)) {
            return null;
        }
        CompositeImage ci = (CompositeImage) imp;
        List<Integer> shown = shownChannels(ci);
        if (shown.size() < 2 || shown.size() > MAX_CHANNELS) {
            return null;
        }
        List<GrayMapping> list = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int c : shown) {
            String label = ci.getStack().getSliceLabel(ci.getStackIndex(c, ci.getZ(), ci.getT()));
            names.add(label == null ? "" : label.lines().findFirst().orElse("").strip()); // a label may carry metadata lines
            LUT lut = ci.getChannelLut(c);
            // An inverting LUT's top colour is black, which would show the classifier nothing of that channel.
            if (brightness(lut.getRGB(255)) < brightness(lut.getRGB(0))) {
                return null;
            }
            list.add(new GrayMapping(imp.getBitDepth(), lut.min, lut.max, false, (LUT) lut.clone()));
        }
        return new CompositeMapping(List.copyOf(list), List.copyOf(shown), List.copyOf(names));
    }

    /**
     * Why a composite in composite mode is taken as its RGB blend rather than channel by channel, in
     * words for the Log; null when it is taken by channels or is no such composite.
     */
    public static String whyBlended(ImagePlus imp) {
        if (!inCompositeMode(imp)) {
            return null;
        }
        // More than three shown always sends of() to the blend; its other reasons (one channel shown, an
        // inverting LUT) get no Log line.
        int shown = shownChannels((CompositeImage) imp).size();
        if (shown > MAX_CHANNELS) {
            return imp.getTitle() + " shows " + shown + " channels: more than " + MAX_CHANNELS + " are taken as the RGB "
                    + "picture displayed, and the samples are RGB. To get samples with channels, switch all but two or three "
                    + "off (Image > Color > Channels Tool) and run again.";
        }
        return null;
    }

    /** A composite of gray channels (not an RGB stack) blended in composite mode. */
    private static boolean inCompositeMode(ImagePlus imp) {
        return imp.isComposite() && imp.getBitDepth() != 24 && ((CompositeImage) imp).getMode() == CompositeImage.COMPOSITE;
    }

    /** The channels switched on, 1-based. */
    private static List<Integer> shownChannels(CompositeImage ci) {
        boolean[] active = ci.getActiveChannels();
        List<Integer> shown = new ArrayList<>();
        for (int c = 1; c <= ci.getNChannels(); c++) {
            if (c <= active.length && active[c - 1]) {
                shown.add(c);
            }
        }
        return shown;
    }

    private static int brightness(int rgb) {
        return ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
    }

    /** The channels' colours: the colour each LUT gives its brightest value. */
    public ChannelColors colors() {
        float[][] cols = new float[channels.size()][];
        for (int c = 0; c < cols.length; c++) {
            int rgb = channels.get(c).lut().getRGB(255);
            cols[c] = new float[] {((rgb >> 16) & 255) / 255f, ((rgb >> 8) & 255) / 255f, (rgb & 255) / 255f};
        }
        return ChannelColors.composite(cols);
    }

    /** The channels at (z, t) of {@code imp}, scaled to the working size, as the engine's reference. */
    public RgbImage reference(ImagePlus imp, int z, int t) {
        ImageStack stack = imp.getStack();
        ImageProcessor first = null;
        float[] planes = null;
        for (int c = 0; c < channels.size(); c++) {
            ImageProcessor ip = ImageConversion.scaled(stack.getProcessor(imp.getStackIndex(indices.get(c), z, t)), imp);
            if (planes == null) {
                first = ip;
                planes = new float[channels.size() * ip.getWidth() * ip.getHeight()];
            }
            channels.get(c).toUnit(ip, planes, c * ip.getWidth() * ip.getHeight());
        }
        return colors().render(planes, first.getWidth(), first.getHeight());
    }

    /** One sample's channels (planar, in [0, 1]) as processors of the reference's type, LUT and range. */
    public List<ImageProcessor> fromUnit(float[] sampleChannels, int w, int h) {
        List<ImageProcessor> out = new ArrayList<>();
        for (int c = 0; c < channels.size(); c++) {
            out.add(channels.get(c).fromUnit(sampleChannels, c * w * h, w, h));
        }
        return out;
    }

    /** The samples' stack (channels fastest) as a composite with the reference's channel LUTs and ranges. */
    public ImagePlus toComposite(String title, ImageStack stack) {
        int n = channels.size();
        ImagePlus imp = new ImagePlus(title, stack);
        imp.setDimensions(n, stack.getSize() / n, 1);
        CompositeImage ci = new CompositeImage(imp, CompositeImage.COMPOSITE);
        for (int c = 0; c < n; c++) {
            GrayMapping m = channels.get(c);
            LUT lut = (LUT) m.lut().clone();
            lut.min = m.min();
            lut.max = m.max();
            ci.setChannelLut(lut, c + 1);
        }
        return ci;
    }
}
