package imagine.objective.terms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import imagine.model.Engines;
import imagine.model.Features;
import imagine.objective.Step;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Total variation smooths the output frame and, as a norm of its own, the whole canvas around it:
 * the margin the shifted views show beside the frame's border must not keep the start's noise.
 */
class TotalVariationTest {

    private static NDArray noise(NDManager m, int side) {
        Random r = new Random(3);
        float[] a = new float[3 * side * side];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble();
        }
        return m.create(a, new Shape(1, 3, side, side));
    }

    private static Step step(NDArray frame, NDArray canvas) {
        Features none = new Features(Map.of(), frame.getManager().zeros(new Shape(1, 5)));
        return new Step(frame, frame, canvas, none, none.logits(), 0, 1, null);
    }

    @Test
    void smoothsTheMarginAsWellAsTheFrame() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray canvas = noise(m, 12);
            canvas.setRequiresGradient(true);
            float[] grad;
            float loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray frame = canvas.get(new NDIndex(":, :, 2:10, 2:10"));
                NDArray l = TotalVariation.l2().loss(step(frame, canvas));
                loss = l.getFloat();
                gc.backward(l);
            }
            grad = canvas.getGradient().toFloatArray();
            assertTrue(Math.abs(grad[0]) > 1e-4, "a margin pixel is pulled toward its neighbours: " + grad[0]);
            NDArray frameOnly = canvas.stopGradient().get(new NDIndex(":, :, 2:10, 2:10"));
            float frameTv = TotalVariation.of(frameOnly, false).getFloat();
            float canvasTv = TotalVariation.of(canvas.stopGradient(), false).getFloat();
            assertEquals(frameTv + canvasTv, loss, 1e-4 * loss, "the frame's norm plus the canvas's own norm");
        }
    }

    @Test
    void withoutAMarginItIsTheFramesTotalVariation() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray frame = noise(m, 8);
            float loss = TotalVariation.l2().loss(step(frame, frame)).getFloat();
            assertEquals(TotalVariation.of(frame, false).getFloat(), loss, 1e-6);
        }
    }
}
