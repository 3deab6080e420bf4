package imagine.image;

/**
 * What kind of picture a reference is, and so what its samples are: RGB, or one gray channel
 * (8, 16 or 32-bit data in Fiji, a gray PNG on the command line). A gray reference is optimized as
 * one channel, shown to the classifier as that plane three times, so its samples cannot take on
 * colour.
 */
public enum ImageKind {
    RGB,
    GRAY;

    /** Gray when every pixel has R = G = B (a gray image as the engine receives it). */
    public static ImageKind of(RgbImage image) {
        return image.isGray() ? GRAY : RGB;
    }

    /** Channels the engine optimizes for this kind. */
    public int channels() {
        return this == GRAY ? 1 : 3;
    }

    /** The name in sidecars and properties. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
