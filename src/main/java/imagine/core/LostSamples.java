package imagine.core;

import imagine.config.ImagineConfig;
import imagine.image.RgbImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples that lost their object (a chaotic optimization sometimes ends in noise: p(target) below
 * {@code retry_below}), which the engine runs once more from new noise, and the better try of each.
 */
final class LostSamples {

    private LostSamples() {}

    /**
     * The indices of the lost samples of {@code r}; none for a short run (a test, a quick look, not
     * expected to have converged), a cancelled one, or one without a class term (p(target) then
     * says nothing about a sample).
     */
    static List<Integer> of(SynthesisResult r, ImagineConfig cfg) {
        List<Integer> lost = new ArrayList<>();
        if (r.cancelled() || cfg.schedule().iterations() < ImagineEngine.RETRY_MIN_ITERATIONS
                || cfg.weights().classWeight() == 0) {
            return lost;
        }
        for (int i = 0; i < r.samples().size(); i++) {
            if (r.targetProbabilities()[i] < cfg.schedule().retryBelow()) {
                lost.add(i);
            }
        }
        return lost;
    }

    /** The first run with each lost sample replaced by its second try where that one is better. */
    static SynthesisResult keepBetter(SynthesisResult r, SynthesisResult r2, List<Integer> lost) {
        List<RgbImage> samples = new ArrayList<>(r.samples());
        List<float[]> channels = new ArrayList<>(r.channels());
        long[] seeds = r.seeds().clone();
        int[] predicted = r.predictedClasses().clone();
        double[] prob = r.targetProbabilities().clone();
        int replaced = 0;
        for (int k = 0; k < lost.size(); k++) {
            int i = lost.get(k);
            if (!r2.cancelled() && r2.targetProbabilities()[k] > prob[i]) {
                samples.set(i, r2.samples().get(k));
                channels.set(i, r2.channels().get(k));
                seeds[i] = r2.seeds()[k];
                predicted[i] = r2.predictedClasses()[k];
                prob[i] = r2.targetProbabilities()[k];
                replaced++;
            }
        }
        return r.withSamples(samples, channels, seeds, predicted, prob,
                r.timings().plus(r2.timings()).withRetries(lost.size(), replaced));
    }
}
