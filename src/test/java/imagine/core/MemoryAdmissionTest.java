package imagine.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.UserInputException;
import imagine.config.ImagineConfig;
import imagine.image.RgbImage;
import imagine.model.ModelSpec;
import imagine.objective.Windowing;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs that cannot fit are refused before any work, with what would fit. */
class MemoryAdmissionTest {

    static final ModelSpec.Cost MOBILENET = ModelSpec.MOBILENET_V1_075.cost();
    static final long GIB = 1L << 30;

    /** Full-frame runs (no windows), as the memory was measured. */
    static ImagineConfig cfg(int size, int samples) {
        return ImagineConfig.defaults().toBuilder().size(size, size).samples(samples).set("window_above", 4096).build();
    }

    @Test
    void theEstimateCoversWhatRunsMeasured() {
        // Peak RSS of short full-size runs (every term on) minus the ~375 MiB the JVM and model hold
        // before a run, measured with /usr/bin/time on this 2-core machine.
        long[][] measured = {{512, 1, 945 - 375}, {1024, 1, 2656 - 375}, {512, 2, 1313 - 375}, {512, 4, 2082 - 375},
            {256, 4, 702 - 375}, {768, 1, 1632 - 375}};
        for (long[] m : measured) {
            long est = MemoryAdmission.estimate(cfg((int) m[0], (int) m[1]), MOBILENET, Windowing.ALLOWED).workBytes() >> 20;
            assertTrue(est >= m[2] && est <= 2.0 * m[2], m[0] + "px x" + m[1] + ": estimated " + est + " MiB, measured "
                    + m[2] + " MiB");
        }
    }

    @Test
    void aRunThatDoesNotFitIsRefusedWithWhatFits() {
        MemoryAdmission.Budget small = MemoryAdmission.fixed(2 * GIB, 4 * GIB, "the test budget");
        var e = assertThrows(UserInputException.class, () -> MemoryAdmission.check(cfg(2048, 4), MOBILENET, small, Windowing.ALLOWED));
        String m = e.getMessage();
        assertTrue(m.startsWith("A 2048x2048 output with 4 sample(s) needs about "), m);
        assertTrue(m.contains("the test budget has 1.7 GiB to spare"), m);
        assertTrue(m.contains("What fits:") && m.contains("Nothing was started"), m);
        // The sizes it offers do fit.
        java.util.regex.Matcher fit = java.util.regex.Pattern.compile("(\\d+)x(\\d+) with (\\d+) sample").matcher(
                m.substring(m.indexOf("What fits:")));
        int offers = 0;
        while (fit.find()) {
            ImagineConfig c = ImagineConfig.defaults().toBuilder().size(Integer.parseInt(fit.group(1)),
                    Integer.parseInt(fit.group(2))).samples(Integer.parseInt(fit.group(3))).build();
            assertDoesNotThrow(() -> MemoryAdmission.check(c, MOBILENET, small, Windowing.ALLOWED), c.toString());
            offers++;
        }
        assertEquals(1, offers, "at 2048 px not even one sample fits, so only a smaller size is offered: " + m);
        assertDoesNotThrow(() -> MemoryAdmission.check(cfg(224, 4), MOBILENET, small, Windowing.ALLOWED));
    }

    @Test
    void theHeapIsCheckedToo() {
        MemoryAdmission.Budget tinyHeap = MemoryAdmission.fixed(64 * GIB, 10 << 20, "plenty");
        var e = assertThrows(UserInputException.class, () -> MemoryAdmission.check(cfg(1024, 4), MOBILENET, tinyHeap, Windowing.ALLOWED));
        assertTrue(e.getMessage().contains("raise -Xmx"), e.getMessage());
    }

    @Test
    void theEngineRefusesBeforeAnyWork() {
        List<Progress> seen = new ArrayList<>();
        ImagineEngine engine = ImagineEngine.builder(TestModels.mobilenet())
                .optMemoryBudget(d -> MemoryAdmission.fixed(200L << 20, 4 * GIB, "a fake 200 MiB machine")).build();
        RgbImage ref = new RgbImage(64, 64, new float[3 * 64 * 64]);
        long t0 = System.nanoTime();
        var e = assertThrows(UserInputException.class,
                () -> engine.synthesize(ref, cfg(1024, 2), seen::add, new CancellationToken()));
        assertTrue((System.nanoTime() - t0) / 1e9 < 2, "refused at once");
        assertTrue(e.getMessage().contains("a fake 200 MiB machine"), e.getMessage());
        assertTrue(seen.isEmpty(), "no iteration ran");
    }

    @Test
    void limitsParse() {
        assertEquals(4 * GIB, MemoryAdmission.parseSize("4g"));
        assertEquals(512L << 20, MemoryAdmission.parseSize("512M"));
        assertEquals(1000, MemoryAdmission.parseSize("1000"));
        assertThrows(UserInputException.class, () -> MemoryAdmission.parseSize("lots"));
    }
}
