package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

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
        NDArray x = step.image();
        NDArray outside = r.target().neg().add(1f);
        // A difference counts when both of its pixels are outside.
        NDArray oy = outside.get(new NDIndex(":, :, 1:, :")).mul(outside.get(new NDIndex(":, :, :-1, :")));
        NDArray ox = outside.get(new NDIndex(":, :, :, 1:")).mul(outside.get(new NDIndex(":, :, :, :-1")));
        NDArray dy = x.get(new NDIndex(":, :, 1:, :")).sub(x.get(new NDIndex(":, :, :-1, :"))).mul(oy);
        NDArray dx = x.get(new NDIndex(":, :, :, 1:")).sub(x.get(new NDIndex(":, :, :, :-1"))).mul(ox);
        long n = x.getShape().get(0);
        return TotalVariation.perSampleNorm(dy, n).add(TotalVariation.perSampleNorm(dx, n)).mean();
    }
}
