package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Gradient housekeeping the public DJL API lacks: resetting a leaf's accumulated gradient. */
final class Grads {

    private Grads() {}

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
