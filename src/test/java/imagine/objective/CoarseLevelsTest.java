package imagine.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.config.ImagineConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** coarse_levels: the schedule's sizes, iteration ranges and names, and where it gives way. */
class CoarseLevelsTest {

    private static List<Stage> stages(int size, int levels, Windowing w, String... more) {
        ImagineConfig.Builder b = ImagineConfig.preset(ImagineConfig.Preset.DEFAULT).size(size, size)
                .set("coarse_levels", levels);
        for (int i = 0; i < more.length; i += 2) {
            b.set(more[i], more[i + 1]);
        }
        return Stage.of(b.build(), w);
    }

    @Test
    void twoLevelsHalveTwiceAndShareTheCoarseIterations() {
        List<Stage> s = stages(224, 2, Windowing.ALLOWED);
        assertEquals(3, s.size());
        assertEquals(List.of(56, 112, 224), s.stream().map(Stage::width).toList());
        assertEquals(List.of(0, 200, 400), s.stream().map(Stage::first).toList());
        assertEquals(List.of(200, 400, 800), s.stream().map(Stage::end).toList());
        assertEquals(List.of(0, 1, 2), s.stream().map(Stage::index).toList());
        assertEquals(List.of("coarse 56x56", "coarse 112x112", "fine 224x224"), s.stream().map(Stage::name).toList());
        // The jitter margin scales with each stage.
        assertTrue(s.get(0).margin() < s.get(1).margin() && s.get(1).margin() < s.get(2).margin(), s.toString());
    }

    @Test
    void oneLevelIsTheScheduleAsBefore() {
        List<Stage> s = stages(224, 1, Windowing.ALLOWED);
        assertEquals(List.of(112, 224), s.stream().map(Stage::width).toList());
        assertEquals(List.of(0, 400), s.stream().map(Stage::first).toList());
        assertEquals(List.of("coarse 112x112", "fine 224x224"), s.stream().map(Stage::name).toList());
    }

    @Test
    void levelsBelowSixteenPixelsAreDropped() {
        // 48 / 4 = 12 px would be too small to classify: one coarse level of 24 px is left.
        List<Stage> s = stages(48, 3, Windowing.ALLOWED);
        assertEquals(List.of(24, 48), s.stream().map(Stage::width).toList());
        assertEquals(List.of(0, 400), s.stream().map(Stage::first).toList());
        assertEquals(1, stages(224, 3, Windowing.ALLOWED, "coarse_fraction", "0").size(), "no coarse stage at all");
    }

    @Test
    void windowedOutputsKeepEveryCoarseLevelSmallEnoughToSeeWhole() {
        List<Stage> s = stages(2000, 2, Windowing.ALLOWED, "window_above", "640");
        assertEquals(3, s.size());
        assertTrue(s.get(1).width() <= 640 && !s.get(1).windowed(), s.toString());
        assertEquals(s.get(1).width() / 2, s.get(0).width(), 1, "each level halves the next");
        assertTrue(s.get(2).windowed());
    }
}
