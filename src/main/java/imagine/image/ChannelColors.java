package imagine.image;

import java.util.Arrays;
import java.util.List;

/**
 * How the channels the engine optimizes are shown in RGB: channel c adds its colour (r, g, b in
 * [0, 1]) times its value, and the sum, clipped to [0, 1], is what the classifier and every term
 * see. RGB is three channels of red, green and blue; a gray image one channel of white (the same
 * plane three times); a Fiji composite its channels with their LUT colours, blended as Fiji's
 * composite display blends them. The map is linear, so gradients reach every channel.
 */
public record ChannelColors(ImageKind kind, List<float[]> colors) {

    public static final ChannelColors RGB = new ChannelColors(ImageKind.RGB,
            List.of(new float[] {1, 0, 0}, new float[] {0, 1, 0}, new float[] {0, 0, 1}));
    public static final ChannelColors GRAY = new ChannelColors(ImageKind.GRAY, List.of(new float[] {1, 1, 1}));

    public ChannelColors {
        java.util.Objects.requireNonNull(kind, "kind");
        int expected = kind == ImageKind.RGB ? 3 : kind == ImageKind.GRAY ? 1 : colors.size();
        if (colors.isEmpty() || colors.size() != expected) {
            throw new IllegalArgumentException(kind.key() + " needs " + expected + " channel colour(s), got " + colors.size());
        }
        colors = colors.stream().map(c -> {
            if (c.length != 3) {
                throw new IllegalArgumentException("a colour is r, g, b");
            }
            return c.clone();
        }).toList();
    }

    /** A composite's channels with their colours (even red, green and blue: the samples stay a composite). */
    public static ChannelColors composite(float[]... colors) {
        return new ChannelColors(ImageKind.COMPOSITE, List.of(colors));
    }

    /** What a reference given only as RGB is: gray when R = G = B everywhere. */
    public static ChannelColors forReference(RgbImage reference) {
        return reference.isGray() ? GRAY : RGB;
    }

    /** Copies: the constants' colours cannot be changed through them. */
    @Override
    public List<float[]> colors() {
        return colors.stream().map(float[]::clone).toList();
    }

    public int channels() {
        return colors.size();
    }

    /** The 3 x channels mixing matrix, row-major (row = output colour). */
    public float[] matrix() {
        int n = channels();
        float[] m = new float[3 * n];
        for (int c = 0; c < n; c++) {
            for (int k = 0; k < 3; k++) {
                m[k * n + c] = colors.get(c)[k];
            }
        }
        return m;
    }

    /** Channel values (channels x pixels, planar) shown in RGB, as the engine shows them. */
    public RgbImage render(float[] channelPlanes, int width, int height) {
        int n = width * height;
        float[] out = new float[3 * n];
        for (int c = 0; c < channels(); c++) {
            float[] col = colors.get(c);
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < n; i++) {
                    out[k * n + i] += col[k] * channelPlanes[c * n + i];
                }
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, Math.min(1, out[i]));
        }
        return new RgbImage(width, height, out);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ChannelColors other) || other.kind != kind || other.channels() != channels()) {
            return false;
        }
        for (int c = 0; c < channels(); c++) {
            if (!Arrays.equals(colors.get(c), other.colors.get(c))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = kind.hashCode();
        for (float[] c : colors) {
            h = 31 * h + Arrays.hashCode(c);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind().key()).append('[');
        for (float[] c : colors) {
            sb.append(Arrays.toString(c));
        }
        return sb.append(']').toString();
    }
}
