package imagine.core;

import ai.djl.Device;
import imagine.UserInputException;
import imagine.config.ImagineConfig;
import imagine.model.ModelSpec;
import imagine.objective.Windowing;
import java.util.Locale;

/**
 * Checks, before any work, that a run fits in memory: its peak ({@link MemoryEstimate}) is compared
 * with what the process may still take ({@link MemoryBudget}) and with the JVM heap the results
 * need. A run that does not fit is refused with the largest size and sample count that do: inside
 * Fiji, running out would have the system kill Fiji with the user's unsaved images.
 */
public final class MemoryAdmission {

    /** Share of the available memory a run may plan to take; the rest is left to everything else. */
    static final double USABLE = 0.85;

    private MemoryAdmission() {}

    /** Refuses a run that does not fit, saying what would; does nothing when it fits. */
    public static void check(ImagineConfig cfg, ModelSpec.Cost cost, MemoryBudget budget, Windowing windowing) {
        MemoryEstimate e = MemoryEstimate.of(cfg, cost, windowing);
        long free = (long) (budget.freeBytes() * USABLE);
        long heap = budget.freeHeapBytes();
        if (e.workBytes() <= free && e.heapBytes() <= heap) {
            return;
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "A %dx%d output with %d sample(s) needs about %s of memory; %s has %s to spare", cfg.output().width(),
                cfg.output().height(), cfg.output().samples(), gib(Math.max(e.workBytes(), 0)), budget.source(),
                gib(free)));
        if (e.heapBytes() > heap) {
            sb.append(String.format(Locale.ROOT, " (and the Java heap has %s of the %s the results need: raise -Xmx)",
                    gib(heap), gib(e.heapBytes())));
        }
        sb.append(". ").append(largestThatFits(cfg, cost, free, heap, windowing)).append(" (Times are for a 2-core CPU.)")
                .append(" Nothing was started.");
        throw new UserInputException(sb.toString());
    }

    /** The largest sample count at the requested size, and the largest size at the requested count, that fit. */
    static String largestThatFits(ImagineConfig cfg, ModelSpec.Cost cost, long free, long heap, Windowing windowing) {
        int w = cfg.output().width();
        int h = cfg.output().height();
        int samples = 0;
        for (int k = cfg.output().samples() - 1; k >= 1; k--) {
            if (fits(cfg.toBuilder().samples(k).build(), cost, free, heap, windowing)) {
                samples = k;
                break;
            }
        }
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 30; i++) {
            double mid = (lo + hi) / 2;
            int mw = (int) (w * mid);
            int mh = (int) (h * mid);
            boolean ok = mw >= ImagineConfig.setting("width").min() && mh >= ImagineConfig.setting("height").min()
                    && fits(cfg.toBuilder().size(mw, mh).build(), cost, free, heap, windowing);
            if (ok) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        int fw = (int) (w * lo) / 8 * 8;
        int fh = (int) (h * lo) / 8 * 8;
        StringBuilder sb = new StringBuilder("What fits:");
        if (samples > 0) {
            sb.append(offer(cfg.toBuilder().samples(samples).build(), cost, windowing));
        }
        if (fw >= ImagineConfig.setting("width").min() && fh >= ImagineConfig.setting("height").min()) {
            sb.append(offer(cfg.toBuilder().size(fw, fh).build(), cost, windowing));
        }
        if (sb.length() == "What fits:".length()) {
            return "Not even the smallest output fits; close other programs or raise the memory limit.";
        }
        sb.setLength(sb.length() - 1);
        return sb.append('.').toString();
    }

    /** " WxH with N sample(s) (about S s per iteration, T in all);" */
    private static String offer(ImagineConfig c, ModelSpec.Cost cost, Windowing windowing) {
        double s = TimeModel.secondsPerIteration(c, cost, windowing);
        return String.format(Locale.ROOT, " %dx%d with %d sample(s) (about %s per iteration, %s for %d iterations);",
                c.output().width(), c.output().height(), c.output().samples(), Durations.text(s),
                Durations.text(s * c.schedule().iterations()), c.schedule().iterations());
    }

    private static boolean fits(ImagineConfig cfg, ModelSpec.Cost cost, long free, long heap, Windowing windowing) {
        MemoryEstimate e = MemoryEstimate.of(cfg, cost, windowing);
        return e.workBytes() <= free && e.heapBytes() <= heap;
    }

    static String gib(long bytes) {
        return bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }

    /** Bytes a decoded image takes per pixel on its way in: the decoder's raster, its samples and the float planes. */
    static final long DECODE_BYTES_PER_PIXEL = 24;

    /**
     * Refuses, before decoding, an image of {@code w x h} whose reading would not fit what this
     * process may still take (its heap, the machine, the user's cap), instead of failing after
     * taking it: the size comes from the file's header.
     */
    public static void checkDecode(long w, long h, String what) {
        long need = w * h * DECODE_BYTES_PER_PIXEL;
        MemoryBudget b = MemoryBudget.of(Device.cpu());
        if (need <= Math.min(b.freeBytes(), b.freeHeapBytes())) {
            return;
        }
        System.gc(); // the heap's free share counts garbage as taken; only a large image gets here
        b = MemoryBudget.of(Device.cpu());
        boolean heap = b.freeHeapBytes() < b.freeBytes();
        long room = Math.min(b.freeBytes(), b.freeHeapBytes());
        if (need > room) {
            throw new UserInputException(what + " is " + w + "x" + h + " pixels and needs about " + gib(need) + " to read, but "
                    + (heap ? "this Java's memory (-Xmx) has " : b.source() + " has ") + gib(room) + " to spare: downscale it "
                    + "first" + (heap ? ", or start Java with more memory (-Xmx)." : "."));
        }
    }
}
