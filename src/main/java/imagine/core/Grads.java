package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Gradient housekeeping the public DJL API lacks: resetting a leaf's accumulated gradient. */
final class Grads {

    private Grads() {}

    /**
     * Turns gradient recording off on this thread until closed (then restores it). PyTorch's
     * grad mode is per thread and ON by default on new threads, while DJL only switches it off
     * on the thread that started the engine: without this, work on a service's worker thread
     * would chain every iteration's graph onto the last.
     */
    static AutoCloseable noGrad() {
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        return () -> JniUtils.setGradMode(before);
    }

    static void zero(NDArray a) {
        if (a instanceof PtNDArray p) {
            JniUtils.zeroGrad(p);
        } else if (a.hasGradient()) {
            try (NDArray g = a.getGradient()) {
                g.subi(g);
            }
        }
    }
}
