package imagine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import imagine.TestModels;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.image.ChannelColors;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.GradMode;
import imagine.objective.LossTerm;
import imagine.objective.Objective;
import imagine.objective.PaddingBand;
import imagine.objective.Stage;
import imagine.objective.Step;
import imagine.objective.Windowing;
import imagine.objective.terms.ClassLoss;
import imagine.objective.terms.FeatureMatching;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * An output larger than window_above: the coarse stage sees the whole (shrunk) frame, the fine stage
 * sees windows of the full-size canvas, and the result has the requested size.
 */
class WindowedStageTest {

    /** Records the size of every view the classifier sees. */
    static final class ViewSizes implements LossTerm {
        final List<long[]> seen = new ArrayList<>();

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public NDArray loss(Step step) {
            seen.add(new long[] {step.iteration(), step.image().getShape().get(3), step.image().getShape().get(2)});
            return step.image().mean().mul(0f);
        }
    }

    @Test
    void theFineStageSeesWindowsAndTheCoarseStageTheWholeFrame() throws Exception {
        Backbone b = TestModels.mobilenet();
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(160, 120).iterations(12)
                .set("window_above", 96).set("window", 64).set("coarse_fraction", 0.5).set("coarse_levels", 1).build();
        List<Stage> stages = Stage.of(cfg, Windowing.ALLOWED);
        assertEquals(2, stages.size());
        assertTrue(Math.max(stages.get(0).width(), stages.get(0).height()) <= 96, stages.toString());
        assertTrue(stages.get(1).windowed() && !stages.get(0).windowed());
        assertTrue(!Stage.of(cfg, Windowing.NEVER).get(1).windowed(), "under controls outputs are optimized whole");

        RgbImage ref = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile()));
        ViewSizes probe = new ViewSizes();
        Synthesis s = new Synthesis(b, cfg, Controls.none().resolve(ref.width(), ref.height(), 160, 120), false,
                stages, ref, ChannelColors.RGB, new long[] {1}, new CancellationToken(), List.of());
        float[] out;
        try (GradMode g = GradMode.off(); NDManager m = Engines.newManager(b.device());
                Objective o = Objective.of(new ClassLoss(285)).plus(probe, 1)
                        .plus(new FeatureMatching(b.defaultTaps(), List.of(4.0, 1.0, 1.0, 1.0), new PaddingBand(16), m), 1)) {
            NDArray x = s.run(m, o);
            assertEquals(List.of(1L, 3L, 120L, 160L), List.of(x.getShape().get(0), x.getShape().get(1), x.getShape().get(2),
                    x.getShape().get(3)));
            out = x.toFloatArray();
        }
        for (long[] v : probe.seen) {
            if (v[0] < 6) {
                assertEquals(stages.get(0).viewWidth(), v[1], "coarse: the whole frame");
                assertEquals(stages.get(0).width() + 2 * stages.get(0).reach(), v[1], "and the jitter around it");
            } else {
                assertEquals(64, v[1], "fine: a window");
                assertEquals(64, v[2]);
            }
        }
        for (float f : out) {
            assertTrue(f >= 0 && f <= 1);
        }
    }
}
