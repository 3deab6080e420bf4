package imagine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import imagine.config.ImagineConfig;
import imagine.model.Engines;
import imagine.objective.Stage;
import imagine.objective.View;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The views of a step: boxes of the canvas, never wrapped, always inside; windows visit the canvas evenly. */
class AugmentationTest {

    /** The one stage of a default run of w x h without a coarse stage or controls. */
    private static Stage onlyStage(int w, int h, boolean viewsHoldFrame) {
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.DEFAULT).size(w, h).set("coarse_fraction", 0)
                .set("views_hold_frame", viewsHoldFrame).build();
        return Stage.of(cfg, imagine.objective.Windowing.of(imagine.controls.Controls.none().resolve(w, h, w, h))).get(0);
    }

    @Test
    void aViewIsTheBoxItNamesAndNothingWrapsAround() {
        try (NDManager m = Engines.newManager(ai.djl.Device.cpu())) {
            float[] v = new float[8 * 10];
            for (int i = 0; i < v.length; i++) {
                v[i] = i;
            }
            NDArray canvas = m.create(v, new Shape(1, 1, 8, 10));
            float[] box = new View(3, 2, 4, 3, 4, 3, false).apply(canvas).toFloatArray();
            assertArrayEquals(new float[] {23, 24, 25, 26, 33, 34, 35, 36, 43, 44, 45, 46}, box, 0f);
            float[] flipped = new View(3, 2, 4, 3, 4, 3, true).apply(canvas).toFloatArray();
            assertArrayEquals(new float[] {26, 25, 24, 23, 36, 35, 34, 33, 46, 45, 44, 43}, flipped, 0f);
        }
    }

    @Test
    void viewsStayInsideTheCanvasAndAreCentredOnTheFrameWithoutJitter() {
        int w = 224;
        int h = 160;
        int margin = Stage.margin(24, 0.1, w, h);
        Stage stage = new Stage(0, 1, w, h, margin, 0, 0, 0, 10);
        Augmentation a = new Augmentation(24, 0.1, true);
        Random rng = new Random(1);
        for (int i = 0; i < 2000; i++) {
            View v = a.draw(rng, stage, 1.0);
            assertTrue(v.x() >= 0 && v.y() >= 0 && v.x() + v.boxWidth() <= stage.canvasWidth()
                    && v.y() + v.boxHeight() <= stage.canvasHeight(), v.toString());
            assertEquals(w, v.width());
        }
        Augmentation still = new Augmentation(0, 0, false);
        View v = still.draw(rng, new Stage(0, 1, w, h, 5, 0, 0, 0, 10), 1.0);
        assertEquals(new View(5, 5, w, h, w, h, false), v, "the frame itself");
    }

    @Test
    void windowsVisitEveryPartOfTheCanvas() {
        Stage stage = new Stage(1, 2, 1024, 768, 40, 0, 448, 0, 10);
        Augmentation a = new Augmentation(24, 0.1, false);
        Augmentation.WindowSampler windows = new Augmentation.WindowSampler();
        Random rng = new Random(2);
        int[] cover = new int[stage.canvasWidth() * stage.canvasHeight()];
        int steps = 60; // about three rounds of the grid
        for (int i = 0; i < steps; i++) {
            View v = a.drawWindow(rng, stage, windows);
            assertEquals(448, v.width());
            for (int y = v.y(); y < v.y() + v.boxHeight(); y++) {
                for (int x = v.x(); x < v.x() + v.boxWidth(); x++) {
                    cover[y * stage.canvasWidth() + x]++;
                }
            }
        }
        int min = Integer.MAX_VALUE;
        for (int y = stage.margin(); y < stage.margin() + stage.height(); y++) {
            for (int x = stage.margin(); x < stage.margin() + stage.width(); x++) {
                min = Math.min(min, cover[y * stage.canvasWidth() + x]);
            }
        }
        assertTrue(min >= 2, "every frame pixel is seen in several windows: least " + min);
    }

    @Test
    void viewsThatHoldTheFrameNeverHaveAnEdgeInsideTheOutput() {
        int w = 224;
        int h = 160;
        Stage stage = onlyStage(w, h, true);
        assertEquals(2 * 24, stage.margin(), "room for the frame, the jitter around it, and the shift");
        assertEquals(24, stage.reach());
        Augmentation a = new Augmentation(24, 0, true);
        Random rng = new Random(3);
        for (int i = 0; i < 2000; i++) {
            View v = a.draw(rng, stage, 1.0);
            assertTrue(v.x() <= stage.margin() && v.y() <= stage.margin()
                    && v.x() + v.boxWidth() >= stage.margin() + w && v.y() + v.boxHeight() >= stage.margin() + h,
                    "the whole frame is inside " + v);
            assertTrue(v.x() >= 0 && v.x() + v.boxWidth() <= stage.canvasWidth(), v.toString());
            assertEquals(w + 48, v.boxWidth(), "frame plus the jitter on both sides");
            assertEquals(w + 48, v.width(), "at full resolution: the classifier sees the output at its own scale");
            assertEquals(stage.viewHeight(), v.height());
        }
    }

    @Test
    void robustViewsHaveTheSideOfTheSmallestCrop() {
        int w = 96;
        int h = 64;
        Stage stage = onlyStage(w, h, true);
        Augmentation a = new Augmentation(24, 0, true);
        Random rng = new Random(4);
        for (int i = 0; i < 200; i++) {
            View v = a.drawRobust(rng, stage).view();
            assertEquals(Math.round(w * Math.sqrt(0.5)), v.width());
            assertEquals(Math.round(h * Math.sqrt(0.5)), v.height());
            assertTrue(v.boxWidth() >= 0.94 * v.width() && v.boxHeight() >= 0.94 * v.height(),
                    "enlarged by no more than the aspect jitter: " + v);
            assertTrue(v.x() >= 0 && v.y() >= 0 && v.x() + v.boxWidth() <= stage.canvasWidth()
                    && v.y() + v.boxHeight() <= stage.canvasHeight(), v.toString());
        }
    }

    @Test
    void frameSizedViewsWhenTheyDoNotHoldTheFrame() {
        int w = 96;
        Stage stage = onlyStage(w, w, false);
        assertEquals(0, stage.reach());
        assertEquals(24, stage.margin());
        View v = new Augmentation(24, 0, false).draw(new Random(5), stage, 1.0);
        assertEquals(w, v.width());
        assertEquals(w, v.boxWidth());
    }

    @Test
    void robustViewsAreSpreadEvenlyAtTheirRate() {
        Stage stage = onlyStage(96, 96, true);
        int[] half = new int[6];
        int[] oneAndHalf = new int[6];
        for (int it = 0; it < 6; it++) {
            half[it] = Augmentation.robustViews(stage, 0.5, it);
            oneAndHalf[it] = Augmentation.robustViews(stage, 1.5, it);
            assertEquals(1, Augmentation.robustViews(stage, 1, it));
            assertEquals(0, Augmentation.robustViews(stage, 0, it));
        }
        assertArrayEquals(new int[] {1, 0, 1, 0, 1, 0}, half, "one on every second step, from the first");
        assertArrayEquals(new int[] {2, 1, 2, 1, 2, 1}, oneAndHalf);
        int total = 0;
        for (int it = 0; it < 800; it++) {
            total += Augmentation.robustViews(stage, 0.25, it);
        }
        assertEquals(200, total, "the rate over a run");
        assertEquals(1, Augmentation.mostRobustViews(stage, 0.5), "memory is sized for the steps that have one");
        Stage window = new Stage(1, 2, 1024, 768, 40, 0, 448, 0, 10);
        assertEquals(0, Augmentation.robustViews(window, 1, 0), "a window is not the frame");
        assertEquals(0, Augmentation.mostRobustViews(window, 1));
    }
}
