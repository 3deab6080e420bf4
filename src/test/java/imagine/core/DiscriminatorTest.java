package imagine.core;

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
}
