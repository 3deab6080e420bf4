package imagine.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run's time went, in milliseconds, and its counters.
 *
 * @param forwardMs the classifier's forward passes on the views
 * @param objectiveMs evaluating the loss terms
 * @param backwardMs the backward pass to the pixels
 * @param updateMs the optimizer step and clipping
 * @param termUpdatesMs the loss terms' own updates after each step (the discriminator's training, when on)
 * @param totalMs the whole run, including the reference's features and the final classification
 * @param skippedSteps image steps and term updates skipped because of non-finite or absurdly large values
 *     ({@link imagine.objective.GradientGuard}); 0 in every run measured since scalars are made by {@link imagine.model.Scalars}
 * @param retriedSamples samples run a second time because they were lost
 * @param replacedSamples retried samples whose second try was kept
 */
public record Timings(long forwardMs, long objectiveMs, long backwardMs, long updateMs, long termUpdatesMs,
        long totalMs, int skippedSteps, int retriedSamples, int replacedSamples) {

    /** Time in the optimization loop: everything but the set-up and the final classification. */
    public long loopMs() {
        return forwardMs + objectiveMs + backwardMs + updateMs + termUpdatesMs;
    }

    /** Two runs' times added (a retry's to the first try's). */
    public Timings plus(Timings o) {
        return new Timings(forwardMs + o.forwardMs, objectiveMs + o.objectiveMs, backwardMs + o.backwardMs,
                updateMs + o.updateMs, termUpdatesMs + o.termUpdatesMs, totalMs + o.totalMs,
                skippedSteps + o.skippedSteps, retriedSamples + o.retriedSamples, replacedSamples + o.replacedSamples);
    }

    public Timings withRetries(int retried, int replaced) {
        return new Timings(forwardMs, objectiveMs, backwardMs, updateMs, termUpdatesMs, totalMs, skippedSteps, retried,
                replaced);
    }

    /** For the JSON sidecar ("timings_ms"), under the names it has always had. */
    public Map<String, Long> toMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("forward", forwardMs);
        m.put("objective", objectiveMs);
        m.put("backward", backwardMs);
        m.put("update", updateMs);
        m.put("discriminator", termUpdatesMs); // the sidecar's name since the first release
        m.put("total", totalMs);
        m.put("skipped_steps", (long) skippedSteps);
        m.put("retried_samples", (long) retriedSamples);
        m.put("replaced_samples", (long) replacedSamples);
        return m;
    }
}
