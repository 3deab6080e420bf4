package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import imagine.objective.LossTerm;
import imagine.objective.Step;

/** The L2 image prior ||x - 0.5||_2 per sample (centred, as on a normalized input), averaged. */
public final class L2Prior implements LossTerm {

    @Override
    public String name() {
        return "l2";
    }

    @Override
    public NDArray loss(Step step) {
        NDArray x = step.image();
        return TotalVariation.perSampleNorm(x.sub(0.5f), x.getShape().get(0)).mean();
    }
}
