package imagine.core;

import imagine.image.RgbImage;
import java.util.List;
import java.util.function.Supplier;

/**
 * Stops a run whose gradients stay unusable (see {@link imagine.objective.GradientGuard}): a skipped
 * step now and then is fine, a streak is not.
 */
final class DivergenceGuard implements SynthesisListener {

    /** Consecutive skipped steps (non-finite or absurd gradients) after which a run is reported as diverged. */
    static final int MAX_BAD_STEPS = 20;

    private int streak;

    @Override
    public void onStep(StepReport r, Supplier<List<RgbImage>> samples) {
        streak = r.taken() ? 0 : streak + 1;
        if (streak > MAX_BAD_STEPS) {
            throw new SynthesisDivergedException("The optimization diverged (" + streak + " steps in a row gave NaN, infinite or "
                    + "absurdly large gradients at iteration " + r.iteration() + "). Lower the learning rate or the "
                    + "adversarial weight and run again.");
        }
    }
}
