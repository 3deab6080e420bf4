package imagine.objective.terms;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import imagine.model.Engines;
import imagine.model.Features;
import imagine.objective.Reference;
import imagine.objective.Step;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The palette term is blind to where colours are, sees colours the reference lacks, and pushes them back. */
class PaletteMatchingTest {

    static final int S = 64;

    /** Warm colours (an orange photo): red high, green middle, blue low, one draw per seed. */
    static float[] warm(long seed) {
        Random r = new Random(seed);
        float[] p = new float[3 * S * S];
        for (int i = 0; i < S * S; i++) {
            float t = r.nextFloat();
            p[i] = 0.7f + 0.3f * t;
            p[S * S + i] = 0.3f + 0.4f * t;
            p[2 * S * S + i] = 0.05f + 0.1f * r.nextFloat();
        }
        return p;
    }

    /** The loss of {@code pixels} against the warm reference, and its gradient. */
    static float[][] lossAndGradient(NDManager m, float[] pixels) {
        try (PaletteMatching term = new PaletteMatching(m)) {
            term.prepare(new Reference(m.create(warm(1), new Shape(1, 3, S, S)), null));
            NDArray x = m.create(pixels, new Shape(1, 3, S, S));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Features none = new Features(Map.of(), m.zeros(new Shape(1, 5)));
                // Iteration 0 compares every fourth pixel of every fourth row, from the first.
                NDArray loss = term.loss(new Step(x, x, x, none, none.logits(), 0, 1, null));
                gc.backward(loss);
                return new float[][] {{loss.getFloat()}, x.getGradient().toFloatArray()};
            }
        }
    }

    @Test
    void theReferencesOwnColoursElsewhereCostLittleAndABluePatchMuch() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            float same = lossAndGradient(m, warm(2))[0][0];
            float[] patched = warm(2);
            // A blue patch on a tenth of the pixels (the lavender smear on an orange).
            for (int y = 0; y < 20; y++) {
                for (int x = 0; x < 20; x++) {
                    int i = y * S + x;
                    patched[i] = 0.4f;
                    patched[S * S + i] = 0.4f;
                    patched[2 * S * S + i] = 0.9f;
                }
            }
            float[][] lg = lossAndGradient(m, patched);
            assertTrue(same < 3e-4f, "another draw of the same colours: " + same);
            assertTrue(lg[0][0] > 20 * same, "blue patch " + lg[0][0] + " against " + same);
            // Gradient descent lowers the patch's blue: its blue gradient is positive where compared.
            float blue = lg[1][2 * S * S];
            float red = lg[1][0];
            assertTrue(blue > 0 && red < 0, "patch pixel gradient red " + red + ", blue " + blue);
        }
    }
}
