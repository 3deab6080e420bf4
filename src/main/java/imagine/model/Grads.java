package imagine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Gradient housekeeping the public DJL API lacks: resetting a leaf's accumulated gradient. */
public final class Grads {

    private Grads() {}

    public static void zero(NDArray a) {
        if (a instanceof PtNDArray p) {
            JniUtils.zeroGrad(p);
        } else if (a.hasGradient()) {
            try (NDArray g = a.getGradient()) {
                g.subi(g);
            }
        }
    }
}
