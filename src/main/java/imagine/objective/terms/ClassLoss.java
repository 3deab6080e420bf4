package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import imagine.objective.LossTerm;
import imagine.objective.Step;

/**
 * Cross-entropy of every sample to one target class y*, averaged over samples and over the step's
 * views (the plain view and the robust views: evidence that survives crops, blur and colour shifts
 * is in the picture, not in one exact arrangement of pixels).
 */
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
        NDArray logp = step.classLogits().logSoftmax(1);
        return logp.get(new NDIndex(":, {}", targetClass)).mean().neg();
    }
}
