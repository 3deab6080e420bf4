package imagine.core;

import imagine.image.RgbImage;

/** Receives progress from a running synthesis, on the engine's thread: return quickly. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = p -> {};

    void onProgress(Progress progress);

    /**
     * Whether the listener wants the current samples at this report (a live preview); when
     * true, {@link #onPreview} follows. Off by default: it costs a device-to-host copy.
     */
    default boolean wantsPreview(Progress progress) {
        return false;
    }

    default void onPreview(java.util.List<RgbImage> samples) {}
}
