package imagine.core;

import imagine.config.ImagineConfig;
import imagine.image.RgbImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stops a run whose gradients stay unusable (see {@link imagine.objective.GradientGuard}): a skipped
 * step now and then is fine, a streak is not. Its message names the term that went non-finite,
 * when the last measured step shows one, and the settings that can help this run.
 */
final class DivergenceGuard implements SynthesisListener {

    /** Consecutive skipped steps (non-finite or absurd gradients) after which a run is reported as diverged. */
    static final int MAX_BAD_STEPS = 20;

    private final ImagineConfig cfg;
    private int streak;
    private String brokenTerm;

    DivergenceGuard(ImagineConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void onStep(StepReport r, Supplier<List<RgbImage>> samples) {
        streak = r.taken() ? 0 : streak + 1;
        if (r.measured()) {
            brokenTerm = r.losses().entrySet().stream().filter(e -> !Double.isFinite(e.getValue())).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
        }
        if (streak > MAX_BAD_STEPS) {
            throw new SynthesisDivergedException("The optimization diverged (" + streak + " steps in a row gave NaN, infinite or "
                    + "absurdly large gradients at iteration " + r.iteration()
                    + (brokenTerm != null ? "; the term " + brokenTerm + " was not finite" : "") + "). " + advice());
        }
    }

    private String advice() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "Run again with a lower learning_rate (now %s)",
                cfg.schedule().learningRate()));
        if (cfg.weights().adversarialWeight() > 0) {
            sb.append(String.format(Locale.ROOT, " or adversarial_weight (now %s)", cfg.weights().adversarialWeight()));
        }
        String knob = brokenTerm == null ? null : knob(brokenTerm);
        if (knob != null && cfg.toMap().containsKey(knob)) {
            sb.append(", or leave the term out with ").append(knob).append("=0");
        }
        return sb.append("; if it happens again, run with --debug and report the settings.").toString();
    }

    /** The weight setting of a term, by the name the term reports its value under. */
    private static String knob(String term) {
        return term.equals("features") ? "feature_weight" : term + "_weight";
    }
}
