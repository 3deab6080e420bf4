package imagine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import imagine.objective.Stage;
import imagine.objective.Step;
import imagine.objective.Windowing;
import imagine.objective.terms.ClassLoss;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A step whose gradient holds a NaN, or is finite but absurdly large (as libtorch's CPU backward
 * now and then returns), is skipped (the pixels do not move) and the run goes on; a streak of them
 * ends the run with a {@link SynthesisDivergedException} that says what to lower.
 */
class NonFiniteStepsTest {

    /** Adds {@code factor} times the pixels' mean to the loss at the iterations {@code bad} names. */
    record Poison(IntPredicate bad, float factor) implements LossTerm {
        Poison(IntPredicate bad) {
            this(bad, Float.NaN);
        }

        @Override
        public String name() {
            return "poison";
        }

        @Override
        public NDArray loss(Step step) {
            // The factor times the pixels' mean: its gradient is that factor everywhere, NaN or absurd
            // (a constant would have none).
            return step.image().mean().mul(bad.test(step.iteration()) ? factor : 0f);
        }
    }

    /** Records each step's report and the pixels after it. */
    static final class Recorder implements SynthesisListener {
        final List<StepReport> reports = new ArrayList<>();
        final List<float[]> pixels = new ArrayList<>();

        @Override
        public void onStep(StepReport r, Supplier<List<RgbImage>> samples) {
            reports.add(r);
            pixels.add(samples.get().get(0).planes());
        }
    }

    static Synthesis synthesis(Backbone b, ImagineConfig cfg, SynthesisListener... extra) {
        RgbImage ref = new RgbImage(32, 32, new float[3 * 32 * 32]);
        List<SynthesisListener> ls = new ArrayList<>(List.of(new DivergenceGuard(cfg)));
        ls.addAll(List.of(extra));
        return new Synthesis(b, cfg, Controls.none().resolve(32, 32, 32, 32), false, Stage.of(cfg, Windowing.ALLOWED), ref,
                ChannelColors.RGB, new long[] {1}, new CancellationToken(), ls);
    }

    static ImagineConfig config(int iterations) {
        return ImagineConfig.preset(ImagineConfig.Preset.FAST).size(32, 32).iterations(iterations)
                .set("coarse_fraction", 0).set("warmup_iterations", 0).build();
    }

    @ParameterizedTest(name = "gradient x {0}")
    @ValueSource(floats = {Float.NaN, 1e30f})
    void aFewNonFiniteOrAbsurdStepsAreSkippedAndTheRunGoesOn(float poison) {
        Backbone b = TestModels.mobilenet();
        Recorder rec = new Recorder();
        try (GradMode g = GradMode.off(); NDManager m = Engines.newManager(b.device());
                Objective o = Objective.of(new ClassLoss(3)).plus(new Poison(i -> i >= 4 && i <= 6, poison), 1)) {
            synthesis(b, config(12), rec).run(m, o);
        }
        assertEquals(12, rec.reports.size());
        for (int i = 0; i < 12; i++) {
            boolean bad = i >= 4 && i <= 6;
            assertEquals(!bad, rec.reports.get(i).taken(), "step " + i);
            if (bad) {
                assertArrayEquals(rec.pixels.get(i - 1), rec.pixels.get(i), "a skipped step leaves the pixels alone");
            } else if (i > 0) {
                assertFalse(java.util.Arrays.equals(rec.pixels.get(i - 1), rec.pixels.get(i)), "step " + i + " moved");
            }
        }
        for (float v : rec.pixels.get(11)) {
            assertTrue(Float.isFinite(v) && v >= 0 && v <= 1, "no NaN or blow-up reached the pixels");
        }
    }

    @Test
    void aStreakOfNonFiniteStepsIsReportedAsDivergence() {
        Backbone b = TestModels.mobilenet();
        Recorder rec = new Recorder();
        var e = assertThrows(SynthesisDivergedException.class, () -> {
            try (GradMode g = GradMode.off(); NDManager m = Engines.newManager(b.device());
                    Objective o = Objective.of(new ClassLoss(3)).plus(new Poison(i -> i >= 2), 1)) {
                synthesis(b, config(100), rec).run(m, o);
            }
        });
        assertEquals(2 + DivergenceGuard.MAX_BAD_STEPS, rec.reports.size(), "stops at the first step past the streak");
        assertTrue(e.getMessage().contains("Run again with a lower learning_rate (now 0.05)"), e.getMessage());
        assertFalse(e.getMessage().contains("adversarial"), "the adversarial term is off: not named " + e.getMessage());
        Map<String, Double> losses = rec.reports.get(0).losses();
        assertTrue(losses.containsKey("class") && losses.containsKey("poison"), "step 0 reports every term: " + losses);
    }
}
