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

    /**
     * Peak RSS of short runs (12 iterations, chelsea) minus the ~300 MiB the JVM and model hold before a
     * run, measured with /usr/bin/time on this 2-core machine (2026-11-28; the larger of two runs where
     * two were made: runs of one size differ by up to 15%, as glibc's arenas and the GC fall). The
     * estimate must cover each and not exceed it by more than half.
     */
    private static void assertCovers(long measuredMiB, ImagineConfig c, String what) {
        long est = MemoryEstimate.of(c, MOBILENET, Windowing.ALLOWED).workBytes() >> 20;
        assertTrue(est >= measuredMiB && est <= 1.5 * measuredMiB, what + ": estimated " + est + " MiB, measured "
                + measuredMiB + " MiB");
    }

    @Test
    void theEstimateCoversWhatRunsMeasured() {
        // Today's defaults (views that hold the frame, a robust pass of its own, two coarse stages), full frame.
        long[][] measured = {{512, 1, 1129}, {1024, 1, 3581}, {512, 2, 1769}, {512, 4, 3359}, {256, 4, 1008},
            {768, 1, 2150}};
        for (long[] m : measured) {
            assertCovers(m[2] - 300, cfg((int) m[0], (int) m[1]), m[0] + "px x" + m[1]);
        }
        // Refined in windows (the default window_above): the coarse stage, seen whole at 512 and 640 px, is the
        // largest view.
        long[][] windowed = {{1024, 1097}, {2048, 1805}};
        for (long[] m : windowed) {
            assertCovers(m[1] - 300, ImagineConfig.defaults().toBuilder().size((int) m[0], (int) m[0]).build(),
                    m[0] + "px in windows");
        }
        // With the discriminator on (adversarial_weight 0.1).
        long[][] adversarial = {{512, 1, 1111}, {1024, 1, 3714}, {512, 2, 1707}};
        for (long[] m : adversarial) {
            assertCovers(m[2] - 300, cfg((int) m[0], (int) m[1]).toBuilder().set("adversarial_weight", 0.1).build(),
                    m[0] + "px x" + m[1] + " with the discriminator");
        }
        // Frame-sized views with a frame-sized robust view in the same pass, one coarse stage (the schedule before
        // issue 24): larger per view pixel.
        long[][] frameViews = {{512, 1, 1254}, {1024, 1, 4085}, {512, 2, 2078}, {512, 4, 3473}, {256, 4, 1069},
            {768, 1, 2475}};
        for (long[] m : frameViews) {
            assertCovers(m[2] - 300, cfg((int) m[0], (int) m[1]).toBuilder().set("views_hold_frame", false)
                    .set("coarse_levels", 1).build(), m[0] + "px x" + m[1] + " with frame-sized views");
        }
    }

    @Test
    void aRunThatDoesNotFitIsRefusedWithWhatFits() {
        MemoryBudget small = MemoryBudget.fixed(2 * GIB, 4 * GIB, "the test budget");
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
        MemoryBudget tinyHeap = MemoryBudget.fixed(64 * GIB, 10 << 20, "plenty");
        var e = assertThrows(UserInputException.class, () -> MemoryAdmission.check(cfg(1024, 4), MOBILENET, tinyHeap, Windowing.ALLOWED));
        assertTrue(e.getMessage().contains("raise -Xmx"), e.getMessage());
    }

    @Test
    void theEngineRefusesBeforeAnyWork() {
        List<Progress> seen = new ArrayList<>();
        ImagineEngine engine = ImagineEngine.builder(TestModels.mobilenet())
                .optMemoryBudget(d -> MemoryBudget.fixed(200L << 20, 4 * GIB, "a fake 200 MiB machine")).build();
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
        assertEquals(4 * GIB, MemoryBudget.parseSize("4g"));
        assertEquals(512L << 20, MemoryBudget.parseSize("512M"));
        assertEquals(1000, MemoryBudget.parseSize("1000"));
        assertThrows(UserInputException.class, () -> MemoryBudget.parseSize("lots"));
    }
}
