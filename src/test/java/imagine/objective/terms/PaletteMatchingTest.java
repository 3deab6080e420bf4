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
        return lossAndGradient(m, pixels, 0);
    }

    /** The same at {@code iteration}, which picks the pixel offset and the group of directions. */
    static float[][] lossAndGradient(NDManager m, float[] pixels, int iteration) {
        try (PaletteMatching term = new PaletteMatching(m)) {
            term.prepare(new Reference(m.create(warm(1), new Shape(1, 3, S, S)), null));
            NDArray x = m.create(pixels, new Shape(1, 3, S, S));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                Features none = new Features(Map.of(), m.zeros(new Shape(1, 5)));
                // Iteration 0 compares every fourth pixel of every fourth row, from the first.
                NDArray loss = term.loss(new Step(x, x, x, none, none.logits(), iteration, 1, null));
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

    @Test
    void everyGroupOfDirectionsComparesWithItsOwnQuantiles() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] patched = warm(2);
            for (int i = 0; i < S * S / 10; i++) {
                patched[i] = 0.4f;
                patched[S * S + i] = 0.4f;
                patched[2 * S * S + i] = 0.9f;
            }
            // Iterations 0-3 and 16-19 use each of the four groups of directions on each offset
            // round; the same colours must cost little and the blue band much in every one.
            for (int it : new int[] {0, 1, 2, 3, 16, 17, 18, 19}) {
                float same = lossAndGradient(m, warm(2), it)[0][0];
                float blue = lossAndGradient(m, patched, it)[0][0];
                assertTrue(same < 3e-4f, "iteration " + it + ", same colours: " + same);
                assertTrue(blue > 20 * same, "iteration " + it + ", blue band " + blue + " against " + same);
            }
        }
    }

    @Test
    void brightnessCountsAFifthOfColour() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            // The reference's colours moved by the same distance along the grey axis (all brighter)
            // or in the colour plane (redder and less green).
            float step = 0.1f;
            float[] brighter = warm(1);
            float[] redder = warm(1);
            float g = (float) (step / Math.sqrt(3));
            float c = (float) (step / Math.sqrt(2));
            for (int i = 0; i < S * S; i++) {
                for (int k = 0; k < 3; k++) {
                    brighter[k * S * S + i] += g;
                }
                redder[i] += c;
                redder[S * S + i] -= c;
            }
            float grey = 0;
            float colour = 0;
            for (int it = 0; it < 4; it++) {
                grey += lossAndGradient(m, brighter, it)[0][0];
                colour += lossAndGradient(m, redder, it)[0][0];
            }
            double ratio = grey / colour;
            assertTrue(ratio > 0.1 && ratio < 0.4, "grey " + grey + " against colour " + colour + ": " + ratio);
        }
    }
}
