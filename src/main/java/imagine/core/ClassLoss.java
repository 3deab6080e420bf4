package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Cross-entropy of every sample to one target class y*, averaged over samples. */
public final class ClassLoss implements LossTerm {

    private final int targetClass;

    public ClassLoss(int targetClass) {
        this.targetClass = targetClass;
    }

    @Override
    public String name() {
        return "class";
    }

    @Override
    public NDArray loss(Step step) {
        NDArray logp = step.features().logits().logSoftmax(1);
        return logp.get(new NDIndex(":, {}", targetClass)).mean().neg();
    }
}
