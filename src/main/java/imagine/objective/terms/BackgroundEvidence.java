package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import imagine.model.Backbone;
import imagine.objective.StageRegions;
import imagine.objective.Step;
import imagine.objective.StepRegions;

/**
 * Keeps the object out of the background: the mean probability of y* over the locations wholly
 * outside every target, read from the backbone's class activation map (softmax per location). Bounded in
 * [0, 1], so it cannot run away the way a log-probability would. Inactive when the targets cover
 * the whole output.
 */
public final class BackgroundEvidence extends EvidenceTerm {

    public BackgroundEvidence(int targetClass, Backbone backbone) {
        super(targetClass, backbone);
    }

    @Override
    public String name() {
        return "background";
    }

    @Override
    public NDArray loss(Step step) {
        StepRegions r = step.regions();
        if (r == null || !r.outputBackground()) {
            return null;
        }
        NDArray cam = evidence(step);
        long h = cam.getShape().get(2);
        long w = cam.getShape().get(3);
        NDArray p = cam.softmax(1).get(new NDIndex(":, {}", targetClass)); // (N, h, w)
        NDArray outside = StageRegions.outsideAtResolution(r.target(), h, w).reshape(1, h * w);
        NDArray wsum = outside.sum();
        return p.reshape(-1, h * w).mul(outside).sum(new int[] {1}).div(wsum.add(1e-6f)).mean();
    }
}
