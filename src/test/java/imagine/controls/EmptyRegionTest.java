package imagine.controls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import imagine.TestModels;
import imagine.batch.Images;
import imagine.config.ImagineConfig;
import imagine.core.CancellationToken;
import imagine.core.ImagineEngine;
import imagine.core.ProgressListener;
import imagine.core.SynthesisResult;
import imagine.image.RgbImage;
import org.junit.jupiter.api.Test;

/**
 * Position control where a region has no location at some layer: an object selection that leaves
 * the reference's background only a frame round it, which the padding band takes away at the
 * deeper taps of the coarse stages. Its statistics were a mean over nothing (with round-off making
 * weights negative: NaN), and every step of the second stage was skipped until the run diverged.
 */
class EmptyRegionTest {

    static SynthesisResult run(String image, boolean ellipse, double x0, double y0, double x1, double y1, Target.Box box,
            long seed) {
        RgbImage ref = Images.read(TestModels.image(image));
        Controls c = Controls.none().withObjectMask(ControlSweep.shape(ref.width(), ref.height(), ellipse, x0, y0, x1, y1))
                .withTarget(box);
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).iterations(60).seed(seed).build();
        return ImagineEngine.builder(TestModels.mobilenet()).optThreads(2).build().synthesize(ref, c, cfg,
                ProgressListener.NONE, new CancellationToken());
    }

    @Test
    void aBackgroundThatIsOnlyAFrameDoesNotDiverge() {
        // coffee.png 600x400 with the object x 94-548, y 44-359 and a box at the left: diverged from the second stage.
        SynthesisResult r = run("coffee.png", false, 94 / 600.0, 44 / 400.0, 549 / 600.0, 360 / 400.0,
                new Target.Box(20, 50, 150, 130), 3);
        assertEquals(0, r.timings().skippedSteps(), "no step skipped");
    }

    @Test
    void anEllipseWithATargetAtTheTopEdgeDoesNotDiverge() {
        SynthesisResult r = run("astronaut.png", true, 0.15, 0.21, 0.72, 0.65, new Target.Box(75, 3, 67, 51), 0);
        assertEquals(0, r.timings().skippedSteps(), "no step skipped");
    }
}
