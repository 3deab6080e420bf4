package imagine.core;

import java.util.List;
import java.util.Map;

/**
 * The samples of one run and what is known about them. When {@code cancelled}, the samples are
 * the state at the last completed iteration.
 *
 * @param seeds one seed per sample (the sample's noise and nothing else)
 * @param predictedClasses the backbone's top-1 class of each final sample
 * @param targetProbabilities the backbone's probability of the target class for each sample
 * @param finalLosses weighted loss terms at the last iteration
 * @param timings milliseconds spent per phase: total, forward_backward, discriminator, other
 * @param placement the controls as resolved for this run (no instances = uncontrolled)
 */
public record SynthesisResult(List<RgbImage> samples, long[] seeds, int targetClass, String targetLabel,
        int[] predictedClasses, double[] targetProbabilities, Map<String, Double> finalLosses,
        Map<String, Long> timings, int iterationsDone, boolean cancelled, String device, String model,
        ImagineConfig config, Placement placement) {}
