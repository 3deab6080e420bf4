package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import imagine.objective.LossTerm;
import imagine.objective.Step;
import imagine.objective.StepRegions;

/**
 * Under position or shape control with the whole reference as the object, the reference has no
 * background to imitate, so the output's background would be left to noise. This term is the
 * L2 total variation (DeepInversion's form) restricted to the pixels outside every target: it
 * turns that background into a smooth backdrop. Inactive when the reference has a background
 * (its statistics are matched instead) or the targets cover the whole output.
 */
public final class BackgroundSmoothness implements LossTerm {

    @Override
    public String name() {
        return "background_tv";
    }

    @Override
    public NDArray loss(Step step) {
        StepRegions r = step.regions();
        if (r == null || !r.smoothBackground()) {
            return null;
        }
        return TotalVariation.l2(step.image(), r.target().neg().add(1f));
    }
}
