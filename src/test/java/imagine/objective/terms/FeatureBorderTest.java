package imagine.objective.terms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import imagine.model.Features;
import imagine.objective.PaddingBand;
import imagine.objective.Reference;
import imagine.objective.Step;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The padding band that feature statistics leave out (feature_border). */
class FeatureBorderTest {

    private static long cells(PaddingBand b, NDManager m, int input, int map) {
        return b.cells(m.zeros(new Shape(1, 1, map, map)), input);
    }

    @Test
    void theBandIsTheSameInputWidthAtEveryTap() {
        imagine.model.Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            PaddingBand b = new PaddingBand(16);
            // MobileNet's taps (strides 2, 4, 8, 16) on a fine view of 224 px plus the jitter (272 px).
            assertEquals(List.of(8L, 4L, 2L, 1L), List.of(cells(b, m, 272, 136), cells(b, m, 272, 68),
                    cells(b, m, 272, 34), cells(b, m, 272, 17)));
            // The coarsest stage's view (68 px): the deepest map (5 x 5) would keep one location a side; it keeps all.
            assertEquals(List.of(8L, 4L, 3L, 0L), List.of(cells(b, m, 68, 34), cells(b, m, 68, 17), cells(b, m, 68, 9),
                    cells(b, m, 68, 5)));
            assertEquals(0, cells(new PaddingBand(0), m, 272, 136), "0 leaves every location in");
            NDArray a = m.arange(36f).reshape(1, 1, 6, 6);
            assertEquals(new Shape(1, 1, 2, 2), PaddingBand.crop(a, 2).getShape());
            assertEquals(14f, PaddingBand.crop(a, 2).getFloat(0, 0, 0, 0), "the first inner location is (2, 2)");
        }
    }

    /** A view whose maps equal the reference's inside the band and differ only in it matches exactly. */
    @Test
    void statisticsIgnoreWhatTheBandHolds() {
        imagine.model.Engines.pytorch();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray image = m.zeros(new Shape(1, 3, 32, 32));
            NDArray ref = m.randomNormal(new Shape(1, 4, 16, 16));
            // The same map with its outer 2 locations (4 input pixels) replaced by other values.
            NDArray view = m.randomNormal(2, 3, new Shape(1, 4, 16, 16), ai.djl.ndarray.types.DataType.FLOAT32);
            view.set(new NDIndex(":, :, 2:14, 2:14"), ref.get(new NDIndex(":, :, 2:14, 2:14")));
            double withBand = loss(m, new PaddingBand(4), image, ref, view);
            double without = loss(m, new PaddingBand(0), image, ref, view);
            assertTrue(withBand < 1e-3, "the band is left out: " + withBand);
            assertTrue(without > 1, "without it the border counts: " + without);
        }
    }

    private static double loss(NDManager m, PaddingBand band, NDArray image, NDArray ref, NDArray view) {
        FeatureMatching fm = new FeatureMatching(List.of("t"), List.of(1.0), band, m);
        NDArray logits = m.zeros(new Shape(1, 10));
        fm.prepare(new Reference(image, new Features(Map.of("t", ref), logits)));
        return fm.loss(new Step(image, new Features(Map.of("t", view), logits), 0, 1)).getFloat();
    }
}
