package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import imagine.model.Scalars;

/**
 * Cross-entropy to y* of logits divided by a temperature T, times T. At the start (all classes
 * alike) it pulls as plain cross-entropy does; but plain cross-entropy stops pulling once MobileNet
 * gives y* about 0.99, while the tempered form keeps raising y*'s lead over its rivals until that
 * lead is about T times as large. With that lead another network (EfficientNet) names y* where it
 * named the runner-up classes the reference also shows, a bow tie for a uniform, an orange for a
 * lemon (docs/decisions.md).
 */
final class TemperedCrossEntropy {

    private TemperedCrossEntropy() {}

    /** Mean over rows of T * -log softmax(logits / T)[y*]; logits are (rows, classes). */
    static NDArray of(NDArray logits, int targetClass, double temperature) {
        NDArray logp = Scalars.div(logits, temperature).logSoftmax(1);
        return Scalars.mul(logp.get(new NDIndex(":, {}", targetClass)).mean(), -temperature);
    }
}
