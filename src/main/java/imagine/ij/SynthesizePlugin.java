package imagine.ij;

/**
 * Plugins>IMAGINE>IMAGINE Synthesize...: new images from the active image; an area selection on
 * it marks the object (its layout is kept, the background imitates the rest).
 */
public final class SynthesizePlugin extends ImagineCommand {

    @Override
    String title() {
        return "IMAGINE Synthesize";
    }
}
