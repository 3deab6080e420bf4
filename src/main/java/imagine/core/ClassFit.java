package imagine.core;

import java.util.List;
import java.util.Locale;

/**
 * How well the reference's own top classes fit it, for a run that takes the reference's class
 * (target -1): the share of the probability its five likeliest classes hold, against the run's
 * {@code class_fit_share}. Below it no ImageNet class fits (a micrograph, a texture, a photo the
 * network cannot read) and the run leaves the class term off, so the samples are not steered
 * towards a class the reference does not show.
 *
 * @param topShare the probability held by the reference's five likeliest classes
 * @param threshold the run's class_fit_share (0: every reference fits)
 * @param best the likeliest class
 */
public record ClassFit(double topShare, double threshold, Prediction best) {

    public static ClassFit of(List<Prediction> top, double threshold) {
        return new ClassFit(ClassChoice.topShare(top), threshold, top.get(0));
    }

    public boolean fits() {
        return topShare >= threshold;
    }

    /** One sentence for the Log, the CLI and the sidecar when no class fits. */
    public String note() {
        return String.format(Locale.ROOT, "no ImageNet class fits the reference (its five likeliest classes hold %.0f%%, "
                + "under class_fit_share %.2f; best: %s, %.0f%%), so the samples take its look alone (class term off); "
                + "name a class to steer them anyway", 100 * topShare, threshold, best.label(), 100 * best.probability());
    }
}
