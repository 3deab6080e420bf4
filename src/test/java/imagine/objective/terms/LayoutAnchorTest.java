package imagine.objective.terms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import imagine.model.Engines;
import imagine.model.Features;
import imagine.objective.LayoutTarget;
import imagine.objective.Reference;
import imagine.objective.Step;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layout term compares block means only: blind to detail inside a block, it pulls a bright
 * block where the layout is dark down, and it is silent where the stage hands it no layout.
 */
class LayoutAnchorTest {

    @Test
    void blockMeansAreHeldToTheLayoutDetailsAreFree() {
        try (NDManager m = Engines.pytorch().newBaseManager(); LayoutAnchor term = new LayoutAnchor()) {
            // A 16x16 frame in 8x8 blocks: the layout wants the left half dark (0.2), the right half bright (0.8).
            NDArray grid = m.create(new float[] {0.2f, 0.8f, 0.2f, 0.8f}, new Shape(1, 1, 2, 2));
            term.prepare(new Reference(m.zeros(new Shape(1, 1, 16, 16)), null).withLayout(new LayoutTarget(grid, 8)));
            float[] px = new float[256];
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    // Checkerboard detail around each half's mean: the same block means as the layout.
                    px[y * 16 + x] = (x < 8 ? 0.2f : 0.8f) + ((x + y) % 2 == 0 ? 0.1f : -0.1f);
                }
            }
            assertEquals(0, loss(m, term, px, null), 1e-6, "detail inside the blocks costs nothing");
            float[] flat = new float[256];
            java.util.Arrays.fill(flat, 0.8f);
            float[] g = new float[256];
            double l = loss(m, term, flat, g);
            assertEquals(0.5 * 0.36, l, 1e-5, "the left half 0.6 too bright, the right half right");
            assertTrue(g[0] > 0 && Math.abs(g[15]) < 1e-6, "it darkens the left half only: " + g[0] + " " + g[15]);

            term.prepare(new Reference(m.zeros(new Shape(1, 1, 16, 16)), null));
            Features none = new Features(Map.of(), m.zeros(new Shape(1, 5)));
            NDArray x = m.create(flat, new Shape(1, 1, 16, 16));
            assertNull(term.loss(new Step(x, x, x, none, none.logits(), 0, 1, null)), "no layout: inactive");
        }
    }

    private static double loss(NDManager m, LayoutAnchor term, float[] pixels, float[] gradient) {
        NDArray x = m.create(pixels, new Shape(1, 1, 16, 16));
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            Features none = new Features(Map.of(), m.zeros(new Shape(1, 5)));
            NDArray loss = term.loss(new Step(x, x, x, none, none.logits(), 0, 1, null));
            gc.backward(loss);
            if (gradient != null) {
                System.arraycopy(x.getGradient().toFloatArray(), 0, gradient, 0, gradient.length);
            }
            return loss.getFloat();
        }
    }
}
