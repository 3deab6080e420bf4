package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import imagine.model.Backbone;
import imagine.model.Scalars;
import imagine.objective.StageRegions;
import imagine.objective.Step;
import imagine.objective.StepRegions;

/**
 * The class term under position and shape control: cross-entropy to y* of the class evidence
 * averaged over each target region (the backbone's class activation map pooled over the region
 * instead of the whole frame), averaged over instances and samples. Each instance must show the
 * class on its own, so several targets place several objects. Tempered as {@link ClassLoss} is.
 */
public final class RegionClassLoss extends EvidenceTerm {

    private final double temperature;

    public RegionClassLoss(int targetClass, Backbone backbone, double temperature) {
        super(targetClass, backbone);
        this.temperature = temperature;
    }

    @Override
    public String name() {
        return "class";
    }

    @Override
    public NDArray loss(Step step) {
        StepRegions r = step.regions();
        NDArray cam = evidence(step);
        long n = cam.getShape().get(0);
        long k = cam.getShape().get(1);
        long h = cam.getShape().get(2);
        long w = cam.getShape().get(3);
        NDArray flat = cam.reshape(n, k, h * w);
        NDArray total = null;
        for (NDArray inst : r.instances()) {
            NDArray m = StageRegions.atResolution(inst, h, w).reshape(1, 1, h * w);
            NDArray logits = flat.mul(m).sum(new int[] {2}).div(m.sum().add(1e-6f));
            NDArray ce = TemperedCrossEntropy.of(logits, targetClass, temperature);
            total = total == null ? ce : total.add(ce);
        }
        return Scalars.div(total, r.instances().size());
    }
}
