package imagine.objective.terms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import imagine.model.Engines;
import imagine.model.Features;
import imagine.objective.Step;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tempered class term pulls as plain cross-entropy does at the start, and keeps pulling where
 * plain cross-entropy has stopped: when MobileNet already gives the target 0.99.
 */
class ClassLossTest {

    static final int CLASSES = 1000;
    static final int TARGET = 652;

    /** Logits with the target ahead of the other 999 classes by {@code lead}. */
    static float[] logits(float lead) {
        float[] z = new float[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            z[i] = (i % 7) * 0.01f; // not all equal, so a wrong index would show
        }
        z[TARGET] += lead;
        return z;
    }

    /** The term's value and its gradient on the logits. */
    static float[][] lossAndGradient(NDManager m, float[] z, double temperature) {
        NDArray x = m.create(z, new Shape(1, CLASSES));
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray pixels = m.zeros(new Shape(1, 3, 8, 8));
            Step step = new Step(pixels, pixels, pixels, new Features(Map.of(), x), x, 0, 1, null);
            NDArray loss = new ClassLoss(TARGET, temperature).loss(step);
            gc.backward(loss);
            return new float[][] {{loss.getFloat()}, x.getGradient().toFloatArray()};
        }
    }

    static double plainCrossEntropy(float[] z) {
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v);
        }
        return Math.log(sum) - z[TARGET];
    }

    @Test
    void temperatureOneIsPlainCrossEntropy() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            for (float lead : new float[] {0, 3, 12}) {
                assertEquals(plainCrossEntropy(logits(lead)), lossAndGradient(m, logits(lead), 1)[0][0], 1e-4);
            }
        }
    }

    @Test
    void atTheStartEveryTemperaturePullsAlike() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] alike = new float[CLASSES]; // no class ahead: the softmax is uniform at any temperature
            float[] plain = lossAndGradient(m, alike, 1)[1];
            float[] tempered = lossAndGradient(m, alike, 4)[1];
            assertEquals(-0.999f, tempered[TARGET], 1e-5f);
            assertArrayEquals(plain, tempered, 1e-6f);
        }
    }

    @Test
    void pastMobileNetsCertaintyOnlyTheTemperedTermStillPulls() {
        Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager()) {
            // A lead of 12: plain softmax gives the target 0.994, plain cross-entropy's pull is 0.006.
            float plain = lossAndGradient(m, logits(12), 1)[1][TARGET];
            float tempered = lossAndGradient(m, logits(12), 4)[1][TARGET];
            assertTrue(plain < 0 && plain > -0.01, "plain pull " + plain);
            assertTrue(tempered < -0.9, "tempered pull " + tempered);
            // A lead of 60 (T times plain's saturation): the tempered term is satisfied too.
            assertTrue(lossAndGradient(m, logits(60), 4)[1][TARGET] > -0.01);
        }
    }
}
