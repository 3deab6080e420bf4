package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import imagine.objective.LossTerm;
import imagine.objective.Step;

/**
 * Cross-entropy of every sample to one target class y*, averaged over samples and over the step's
 * views (the plain view and the robust views: evidence that survives crops, blur and colour shifts
 * is in the picture, not in one exact arrangement of pixels), tempered (see {@link TemperedCrossEntropy}).
 */
public final class ClassLoss implements LossTerm {

    private final int targetClass;
    private final double temperature;

    public ClassLoss(int targetClass) {
        this(targetClass, 1);
    }

    public ClassLoss(int targetClass, double temperature) {
        this.targetClass = targetClass;
        this.temperature = temperature;
    }

    @Override
    public String name() {
        return "class";
    }

    @Override
    public NDArray loss(Step step) {
        return TemperedCrossEntropy.of(step.classLogits(), targetClass, temperature);
    }
}
