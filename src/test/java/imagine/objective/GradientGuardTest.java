package imagine.objective;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GradientGuardTest {

    @Test
    void takesTheFirstFiniteStepWhateverItsSize() {
        assertTrue(new GradientGuard().accept(1e6));
        assertFalse(new GradientGuard().accept(Double.NaN));
        assertFalse(new GradientGuard().accept(Double.POSITIVE_INFINITY));
    }

    @Test
    void skipsASpikeAndKeepsJudgingByTheStepsBeforeIt() {
        GradientGuard g = new GradientGuard();
        // Magnitudes as measured in a real run: slowly falling, with steps up to 2x the average.
        for (double v : new double[] {4e-2, 3e-2, 2.5e-2, 5e-2, 1e-2, 9e-3, 2e-2}) {
            assertTrue(g.accept(v), "a real step " + v);
        }
        assertFalse(g.accept(8.5e29), "the absurd step libtorch returned once");
        assertFalse(g.accept(5), "a step 250x the typical size");
        assertTrue(g.accept(9e-3), "the next real step: the spikes did not move the typical size");
        assertTrue(g.accept(0.5), "a 30x jump is still taken: only faults are skipped");
    }
}
