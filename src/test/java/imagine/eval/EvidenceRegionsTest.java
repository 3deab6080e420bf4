package imagine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvidenceRegionsTest {

    private static final int W = 64;

    /** A smooth bump of height {@code peak} centred at (cx, cy), added to the map. */
    private static void bump(float[] map, int cx, int cy, double radius, double peak) {
        for (int y = 0; y < W; y++) {
            for (int x = 0; x < W; x++) {
                double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                map[y * W + x] += (float) (peak * Math.exp(-d2 / (2 * radius * radius)));
            }
        }
    }

    @Test
    void oneObjectIsOneRegion() {
        float[] map = new float[W * W];
        bump(map, 30, 34, 8, 0.9);
        assertEquals(1.0, EvidenceRegions.largestShare(map, W, W), 1e-9);
    }

    @Test
    void twoEqualFragmentsShareTheEvidence() {
        float[] map = new float[W * W];
        bump(map, 12, 12, 5, 0.8);
        bump(map, 50, 50, 5, 0.8);
        assertEquals(0.5, EvidenceRegions.largestShare(map, W, W), 0.01);
    }

    @Test
    void aWeakSecondFragmentBelowHalfTheMaximumDoesNotCount() {
        float[] map = new float[W * W];
        bump(map, 12, 12, 5, 0.8);
        bump(map, 50, 50, 5, 0.3);
        assertEquals(1.0, EvidenceRegions.largestShare(map, W, W), 1e-9);
    }

    @Test
    void threeFragmentsScoreLowerThanTwo() {
        float[] two = new float[W * W];
        bump(two, 12, 12, 5, 0.8);
        bump(two, 50, 50, 5, 0.7);
        float[] three = two.clone();
        bump(three, 12, 50, 5, 0.75);
        double s2 = EvidenceRegions.largestShare(two, W, W);
        double s3 = EvidenceRegions.largestShare(three, W, W);
        assertTrue(s3 < s2 && s3 < 0.45, s2 + " then " + s3);
    }

    @Test
    void aMapWithoutEvidenceHasNoShare() {
        assertTrue(Double.isNaN(EvidenceRegions.largestShare(new float[W * W], W, W)));
        assertThrows(IllegalArgumentException.class, () -> EvidenceRegions.largestShare(new float[3], W, W));
    }
}
