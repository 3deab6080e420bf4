package imagine.image;

/**
 * What kind of picture a reference is, and so what its samples are: RGB, one gray channel (8, 16
 * or 32-bit data in Fiji, a gray PNG on the command line), or a composite of a few channels shown
 * with their LUT colours. See {@link ChannelColors} for how each is shown to the classifier.
 */
public enum ImageKind {
    RGB,
    GRAY,
    COMPOSITE;

    /** The name in sidecars and properties. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
