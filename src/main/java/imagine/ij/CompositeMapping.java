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
 * A composite of two or three channels shown in composite mode, as the engine optimizes it: each
 * channel through its own display range ({@link GrayMapping}), shown in RGB with its LUT's colour
 * (the colour at the top of the LUT), blended as Fiji blends them. The samples come back as a
 * composite with the same channels, LUTs and display ranges. Composites of more channels, or shown
 * as one channel or in "color" mode, with a channel switched off or an inverting channel LUT,
 * keep the RGB route (the blend as displayed).
 *
 * @param channels one mapping per channel, in channel order
 */
public record CompositeMapping(List<GrayMapping> channels) {

    /** The largest composite optimized channel by channel. */
    public static final int MAX_CHANNELS = 3;

    /** The mapping of {@code imp}, or null when it is not a composite this route takes. */
    public static CompositeMapping of(ImagePlus imp) {
        if (!imp.isComposite() || imp.getBitDepth() == 24) {
            return null;
        }
        CompositeImage ci = (CompositeImage) imp;
        int n = imp.getNChannels();
        if (ci.getMode() != CompositeImage.COMPOSITE || n < 2 || n > MAX_CHANNELS) {
            return null;
        }
        boolean[] active = ci.getActiveChannels();
        List<GrayMapping> list = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
            LUT lut = ci.getChannelLut(c);
            // A channel switched off is not what the user sees; an inverting LUT's top colour is black,
            // which would show the classifier nothing of that channel: both keep the RGB route.
            if (c > active.length || !active[c - 1] || brightness(lut.getRGB(255)) < brightness(lut.getRGB(0))) {
                return null;
            }
            list.add(new GrayMapping(imp.getBitDepth(), lut.min, lut.max, false, (LUT) lut.clone()));
        }
        return new CompositeMapping(List.copyOf(list));
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
            ImageProcessor ip = ImageConversion.scaled(stack.getProcessor(imp.getStackIndex(c + 1, z, t)), imp);
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
