package imagine.model;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns gradient recording off on this thread until closed, then restores it. PyTorch's grad mode
 * is per thread and ON by default on new threads, while DJL only switches it off on the thread
 * that started the engine: without this, work on a service's worker thread would chain every
 * iteration's graph onto the last. {@link #close()} throws nothing, so try-with-resources needs
 * no catch.
 */
public final class GradMode implements AutoCloseable {

    private final boolean before;

    private GradMode() {
        before = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
    }

    public static GradMode off() {
        return new GradMode();
    }

    @Override
    public void close() {
        JniUtils.setGradMode(before);
    }
}
