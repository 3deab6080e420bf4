package imagine.core;

import imagine.config.ImagineConfig;
import imagine.controls.Placement;
import imagine.image.ChannelColors;
import imagine.image.ImageKind;
import imagine.image.Mask;
import imagine.image.RgbImage;
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
 * @param timings where the time went, and the run's counters
 * @param placement the controls as resolved for this run (no instances = uncontrolled)
 * @param colors how the samples' channels are shown (RGB; GRAY, whose samples have R = G = B
 *     everywhere; or a composite's channel colours)
 * @param channels each sample's optimized channels, planar (channels x height x width) in [0, 1]:
 *     the data a gray or composite sample is made of; {@code samples} shows them in RGB (null for
 *     an RGB run: its samples' planes)
 * @param classFit how well the reference's own classes fit it, when the class term was to pull
 *     towards the reference's own class (null when a class was given, or the class or the feature term
 *     was off); when none fits, the run left the class term off
 */
public record SynthesisResult(List<RgbImage> samples, long[] seeds, int targetClass, String targetLabel,
        int[] predictedClasses, double[] targetProbabilities, Map<String, Double> finalLosses,
        Timings timings, int iterationsDone, boolean cancelled, String device, String model,
        ImagineConfig config, Placement placement, ChannelColors colors, List<float[]> channels,
        ClassFit classFit, Mask foundObject) {

    /** An RGB run's channels are its samples' planes (null given: not kept twice). */
    public SynthesisResult {
        if (channels == null) {
            channels = samples.stream().map(RgbImage::planes).toList();
        }
    }

    /** RGB, gray or composite. */
    public ImageKind kind() {
        return colors.kind();
    }

    /** This result with other samples (the better tries of a retry) and the timings of both runs. */
    SynthesisResult withSamples(List<RgbImage> newSamples, List<float[]> newChannels, long[] newSeeds, int[] predicted,
            double[] probabilities, Timings newTimings) {
        return new SynthesisResult(newSamples, newSeeds, targetClass, targetLabel, predicted, probabilities, finalLosses,
                newTimings, iterationsDone, cancelled, device, model, config, placement, colors, newChannels, classFit,
                foundObject);
    }

    /**
     * Everything about the run as plain maps and lists, in a stable order, for the CLI's JSON
     * sidecar and the Fiji result's JSON property alike; one entry per sample under "samples".
     */
    public java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("model", model);
        m.put("device", device);
        m.put("image_kind", kind().key());
        m.put("channels", colors.channels());
        // Off (class_weight 0) with class none, or when no ImageNet class fits the reference: the target is then
        // only reported.
        m.put("class_term", config.weights().classWeight() != 0);
        if (classFit != null) {
            java.util.Map<String, Object> fit = new java.util.LinkedHashMap<>();
            fit.put("top5_share", classFit.topShare());
            fit.put("class_fit_share", classFit.threshold());
            fit.put("fits", classFit.fits());
            m.put("class_fit", fit);
        }
        if (foundObject != null) {
            // auto_object: where the run found the object in the reference, in its pixels.
            java.util.Map<String, Object> found = new java.util.LinkedHashMap<>();
            found.put("bounds", foundObject.bounds());
            found.put("coverage", foundObject.coverage());
            m.put("found_object", found);
        }
        m.put("target_class", targetClass);
        m.put("target_label", targetLabel);
        m.put("cancelled", cancelled);
        m.put("iterations_done", iterationsDone);
        List<java.util.Map<String, Object>> list = new java.util.ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            java.util.Map<String, Object> s = new java.util.LinkedHashMap<>();
            s.put("seed", seeds[i]);
            s.put("predicted_class", predictedClasses[i]);
            s.put("target_probability", targetProbabilities[i]);
            list.add(s);
        }
        m.put("samples", list);
        m.put("final_losses", finalLosses);
        m.put("timings_ms", timings.toMap());
        m.put("parameters", config.toMap());
        return m;
    }
}
