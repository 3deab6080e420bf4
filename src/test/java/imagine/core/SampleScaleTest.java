package imagine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import imagine.controls.Controls;
import imagine.controls.Placement;
import imagine.controls.Target;
import imagine.image.Mask;
import imagine.image.RgbImage;
import org.junit.jupiter.api.Test;

/** The scale a sample shows its reference at: what its true pixel size is computed from. */
class SampleScaleTest {

    @Test
    void aPlainRunShowsTheReferenceAtTheOutputsArea() {
        assertEquals(1.0, SampleScale.of(512, 512, null, 512, 512), 1e-9, "the reference's own size keeps its scale");
        assertEquals(224 / 512.0, SampleScale.of(512, 512, null, 224, 224), 1e-9, "a 512 px field in 224 px: nuclei 2.3x smaller");
        // A 451x300 photo in a 224x224 square keeps its aspect ratio at the square's area.
        assertEquals(275 / 451.0, SampleScale.of(451, 300, null, 224, 224), 1e-9);
        // The engine resizes the reference by exactly this.
        RgbImage ref = new RgbImage(451, 300, new float[3 * 451 * 300]);
        assertEquals(ref.scaledToArea(224, 224).width() / 451.0, SampleScale.of(451, 300, null, 224, 224), 1e-9);
    }

    @Test
    void positionControlShowsTheObjectAtTheTargetsSize() {
        Placement p = Controls.none().withObjectMask(Mask.box(400, 400, 100, 100, 200, 200))
                .withTarget(new Target.Box(0, 0, 100, 100)).resolve(400, 400, 224, 224);
        double f = SampleScale.of(400, 400, p, 224, 224);
        assertEquals(RgbImage.targetFactor(400, 400, p.objectToTargetScale(), 224, 224), f, 1e-9);
        assertEquals(0.5, f, 0.05, "a 200 px object into a 100 px box");
    }
}
