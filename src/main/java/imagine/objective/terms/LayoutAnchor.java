package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import imagine.objective.LayoutTarget;
import imagine.objective.LossTerm;
import imagine.objective.Reference;
import imagine.objective.Step;

/**
 * Holds each sample's large shapes to the layout it started from ({@code layout_prior}): the
 * squared difference of the frame's block means (blocks of about an eighth of the frame) and the
 * layout's. The start alone is undone by the optimization, which assembles parts where the class
 * evidence and the statistics are as happy with four eyes as with one head, and grows a second
 * animal in an empty background; anchored, the object stays one, where its layout put it, while
 * everything inside a block (every detail) stays free. Inactive where the stage hands no layout
 * (micrographs and textures, where no class steers; position and shape control).
 */
public final class LayoutAnchor implements LossTerm {

    private LayoutTarget target;

    @Override
    public String name() {
        return "layout";
    }

    @Override
    public void prepare(Reference reference) {
        target = reference.layout();
    }

    @Override
    public NDArray loss(Step step) {
        if (target == null) {
            return null;
        }
        int k = target.cell();
        try (NDArray pooled = Pool.avgPool2d(step.frame(), new Shape(k, k), new Shape(k, k), new Shape(0, 0), false, true)) {
            NDArray d = pooled.sub(target.grid());
            return d.mul(d).mean();
        }
    }
}
