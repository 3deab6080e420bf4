package imagine.objective.terms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class DiscriminatorTest {

    @Test
    void lossFallsWhenTrainedOnAFixedPair() {
        imagine.model.Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                PatchDiscriminator d = new PatchDiscriminator(m, 16, 4, 2e-3, 0.5, 1)) {
            assertEquals(9, d.receptiveField());
            // Real: smooth stripes; fake: white noise. Patch statistics differ, so D can separate them.
            int s = 32;
            float[] real = new float[4 * 3 * s * s];
            float[] fake = new float[real.length];
            java.util.Random r = new java.util.Random(2);
            for (int i = 0; i < real.length; i++) {
                int x = i % s;
                real[i] = (float) (0.5 + 0.4 * Math.sin(x / 2.0));
                fake[i] = (float) r.nextDouble();
            }
            NDArray re = m.create(real, new Shape(4, 3, s, s));
            NDArray fa = m.create(fake, new Shape(4, 3, s, s));
            float first = d.train(re, fa);
            float last = first;
            for (int i = 0; i < 150; i++) {
                last = d.train(re, fa);
            }
            assertTrue(first > 1.5, "an untrained hinge discriminator starts near 2, got " + first);
            assertTrue(last < 0.5 * first, "loss went from " + first + " to " + last);
            float realScore = d.score(re, false).mean().getFloat();
            float fakeScore = d.score(fa, false).mean().getFloat();
            assertTrue(realScore > fakeScore, "real " + realScore + " should score above fake " + fakeScore);
        }
    }

    @Test
    void anAbsurdGradientIsSkippedAndTrainingGoesOn() {
        imagine.model.Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                PatchDiscriminator d = new PatchDiscriminator(m, 8, 3, 2e-3, 0.5, 1)) {
            java.util.Random r = new java.util.Random(4);
            float[] a = new float[2 * 3 * 16 * 16];
            float[] b = new float[a.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) r.nextDouble();
                b[i] = (float) r.nextDouble();
            }
            NDArray re = m.create(a, new Shape(2, 3, 16, 16));
            NDArray fa = m.create(b, new Shape(2, 3, 16, 16));
            for (int i = 0; i < 5; i++) {
                d.train(re, fa);
            }
            assertEquals(0, d.skippedUpdates());
            float[] before = d.parameters().get(0).toFloatArray();
            // Inputs of 1e15 give weight gradients of that order, finite in float32: like the fault.
            d.train(re, fa.mul(1e15f));
            assertEquals(1, d.skippedUpdates(), "the absurd update was skipped");
            org.junit.jupiter.api.Assertions.assertArrayEquals(before, d.parameters().get(0).toFloatArray(),
                    "and left the weights alone");
            d.train(re, fa);
            assertEquals(1, d.skippedUpdates(), "the next real update is taken");
        }
    }
}
