package imagine.core;

import ai.djl.Device;
import imagine.UserInputException;
import imagine.config.ImagineConfig;
import imagine.model.ModelSpec;
import imagine.objective.Stage;
import imagine.objective.Windowing;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Checks, before any work, that a run fits in memory: its peak is estimated from the output size,
 * the samples and the model's measured cost per pixel, and compared with what the process may
 * still take (physical memory, the container's limit, an optional user cap; free GPU memory on
 * CUDA) and with the JVM heap the results need. A run that does not fit is refused with the
 * largest size and sample count that do: inside Fiji, running out would have the system kill Fiji
 * with the user's unsaved images.
 */
public final class MemoryAdmission {

    /** Environment variable or system property capping the memory this process may use, e.g. "4g". */
    public static final String LIMIT = "imagine.memory.limit";
    /** Share of the available memory a run may plan to take; the rest is left to everything else. */
    static final double USABLE = 0.85;

    /** What a run will need. */
    public record Estimate(long workBytes, long heapBytes) {}

    /** What the machine can give a run now. */
    public interface Budget {
        /** Bytes the process may still add to its resident (or GPU) memory. */
        long freeBytes();

        /** Bytes the JVM heap may still grow by. */
        long freeHeapBytes();

        /** Where the free memory was read, for the message. */
        String source();
    }

    /** What the on-the-fly discriminator adds per view pixel and sample (measured, MobileNet 0.75 runs). */
    static final double ADVERSARIAL_BYTES_PER_PIXEL = 600;

    private MemoryAdmission() {}

    /**
     * The extra memory a run needs beyond the loaded model: the classifier's activations for the
     * views of every sample (forward and backward), the reference's features, the canvas with its
     * optimizer state, the discriminator; and the heap for the results. An output refined in windows
     * ({@link Windowing}) costs a window's activations, not the output's.
     */
    public static Estimate estimate(ImagineConfig cfg, ModelSpec.Cost cost, Windowing windowing) {
        long w = cfg.output().width();
        long h = cfg.output().height();
        long n = cfg.output().samples();
        List<Stage> stages = Stage.of(cfg, windowing);
        long viewPixels = largestViewPixels(stages);
        long seenPixels = largestSeenPixels(stages, cfg.schedule().robustViews());
        long j = (cfg.schedule().viewsHoldFrame() ? 2L : 1L) * cfg.schedule().jitter(); // the canvas's margin
        long canvasPixels = (w + 2 * j + w / 8) * (h + 2 * j + h / 8);
        double work = viewPixels * cost.referenceBytesPerPixel() + seenPixels * n * cost.bytesPerPixelPerSample()
                + canvasPixels * n * 3 * 4 * 6.0 // pixels, gradient, Adam's two moments, clipped copy, view
                + (64L << 20); // small buffers
        if (cfg.weights().adversarialWeight() > 0) {
            // The discriminator's crops, pyramid and its own backward pass: measured 60-400 MiB more at 512-1024 px.
            work += viewPixels * n * ADVERSARIAL_BYTES_PER_PIXEL;
        }
        long heap = w * h * n * 3 * 4 * 4; // result floats, host copies, images for PNG or ImageJ
        return new Estimate((long) work, heap);
    }

    /**
     * Seconds per full-size iteration on a 2-core CPU like the one the costs were measured on: the
     * discriminator and bookkeeping (about 45 ms), plus the classifier's passes, which grow faster
     * than the pixel count once the activations leave the caches (measured: 0.75 us per pixel and
     * sample at 512 px, 2.3 at 1024, 3.3 at 2048 for MobileNet 0.75).
     */
    public static double secondsPerIteration(ImagineConfig cfg, ModelSpec.Cost cost, Windowing windowing) {
        double p = (double) viewPixels(cfg, windowing) * cfg.output().samples();
        return (45 + cost.cpuMillisPerMegapixel() * p / 1e6 * Math.max(1, Math.sqrt(p / (512.0 * 512)))) / 1000;
    }

    /**
     * Pixels the classifier sees per sample and step: the output (with the jitter around it when the
     * views hold the frame), or a window of it (see {@link imagine.objective.Stage#of}).
     */
    static long viewPixels(ImagineConfig cfg, Windowing windowing) {
        List<Stage> stages = Stage.of(cfg, windowing);
        Stage last = stages.get(stages.size() - 1); // the output's own stage, the largest view
        return (long) last.viewWidth() * last.viewHeight();
    }

    /**
     * The most pixels the classifier sees per sample and step in any stage: the output's own stage,
     * or, when that stage is refined in windows, its coarse stage if larger than a window (a 1024 px
     * output's coarse stage is seen whole at 512 px).
     */
    static long largestViewPixels(List<Stage> stages) {
        return stages.stream().mapToLong(s -> (long) s.viewWidth() * s.viewHeight()).max().orElse(0);
    }

    /**
     * The most pixels the classifier takes in per sample and step in any stage: the view and the
     * class term's robust views (frame-sized, or of the smallest crop's side when views hold the frame).
     */
    static long largestSeenPixels(List<Stage> stages, double robust) {
        return stages.stream().mapToLong(s -> {
            long view = (long) s.viewWidth() * s.viewHeight();
            long robustPixels = (long) Augmentation.robustSide(s, s.width()) * Augmentation.robustSide(s, s.height());
            return view + Augmentation.mostRobustViews(s, robust) * robustPixels;
        }).max().orElse(0);
    }

    /** Refuses a run that does not fit, saying what would; does nothing when it fits. */
    public static void check(ImagineConfig cfg, ModelSpec.Cost cost, Budget budget, Windowing windowing) {
        Estimate e = estimate(cfg, cost, windowing);
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
        double s = secondsPerIteration(c, cost, windowing);
        return String.format(Locale.ROOT, " %dx%d with %d sample(s) (about %s per iteration, %s for %d iterations);",
                c.output().width(), c.output().height(), c.output().samples(), duration(s), duration(s * c.schedule()
                        .iterations()), c.schedule().iterations());
    }

    static String duration(double seconds) {
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }

    private static boolean fits(ImagineConfig cfg, ModelSpec.Cost cost, long free, long heap, Windowing windowing) {
        Estimate e = estimate(cfg, cost, windowing);
        return e.workBytes() <= free && e.heapBytes() <= heap;
    }

    static String gib(long bytes) {
        return bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MiB", bytes >> 20);
    }

    /** The budget of {@code device} now: GPU memory on CUDA, else this machine's memory. */
    public static Budget budget(Device device) {
        Long cap = cap();
        if (device.isGpu()) {
            MemoryUsage u = ai.djl.util.cuda.CudaUtils.getGpuMemory(device);
            long free = u.getMax() - u.getCommitted();
            return fixed(cap == null ? free : Math.min(free, cap), heapFree(), "GPU " + device.getDeviceId());
        }
        long free = Long.MAX_VALUE;
        String source = "this machine";
        long avail = meminfo("MemAvailable:");
        if (avail >= 0) {
            free = avail;
        }
        long cgroup = cgroupFree();
        if (cgroup >= 0 && cgroup < free) {
            free = cgroup;
            source = "this container";
        }
        if (cap != null) {
            long rss = residentBytes();
            long left = Math.max(0, cap - rss);
            if (left < free) {
                free = left;
                source = System.getProperty(LIMIT) != null && !System.getProperty(LIMIT).isBlank()
                        ? "the limit " + LIMIT + "=" + System.getProperty(LIMIT)
                        : "the limit " + envName() + "=" + System.getenv(envName());
            }
        }
        return fixed(free == Long.MAX_VALUE ? Runtime.getRuntime().maxMemory() : free, heapFree(), source);
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
        Budget b = budget(Device.cpu());
        if (need <= Math.min(b.freeBytes(), b.freeHeapBytes())) {
            return;
        }
        System.gc(); // the heap's free share counts garbage as taken; only a large image gets here
        b = budget(Device.cpu());
        boolean heap = b.freeHeapBytes() < b.freeBytes();
        long room = Math.min(b.freeBytes(), b.freeHeapBytes());
        if (need > room) {
            throw new UserInputException(what + " is " + w + "x" + h + " pixels and needs about " + gib(need) + " to read, but "
                    + (heap ? "this Java's memory (-Xmx) has " : b.source() + " has ") + gib(room) + " to spare: downscale it "
                    + "first" + (heap ? ", or start Java with more memory (-Xmx)." : "."));
        }
    }

    /** A budget with fixed numbers (tests, and a fake small limit). */
    public static Budget fixed(long free, long heap, String source) {
        return new Budget() {
            @Override
            public long freeBytes() {
                return free;
            }

            @Override
            public long freeHeapBytes() {
                return heap;
            }

            @Override
            public String source() {
                return source;
            }
        };
    }

    private static long heapFree() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    private static String envName() {
        return "IMAGINE_MEMORY_LIMIT";
    }

    /** The user's cap, from the system property or IMAGINE_MEMORY_LIMIT ("4g", "512m", or bytes). */
    static Long cap() {
        String v = System.getProperty(LIMIT);
        String name = LIMIT;
        if (v == null || v.isBlank()) {
            v = System.getenv(envName());
            name = envName();
        }
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return parseSize(v.trim());
        } catch (UserInputException e) {
            throw new UserInputException(name + " must be a positive size such as 4g or 512m, got '" + v + "'.");
        }
    }

    static long parseSize(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = s.charAt(s.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g' || last == 't') {
            unit = switch (last) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1L << 40;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            double d = Double.parseDouble(s) * unit;
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new NumberFormatException("not a positive size");
            }
            return (long) d;
        } catch (NumberFormatException e) {
            throw new UserInputException(LIMIT + " must be a size such as 4g or 512m, got '" + v + "'.");
        }
    }

    /** A field of /proc/meminfo in bytes, or -1 (not Linux). */
    static long meminfo(String key) {
        return procField(Path.of("/proc/meminfo"), key);
    }

    static long residentBytes() {
        long kb = procField(Path.of("/proc/self/status"), "VmRSS:");
        return Math.max(0, kb);
    }

    private static long procField(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** What the container's memory limit leaves (cgroup v2, then v1), or -1 when there is none. */
    static long cgroupFree() {
        for (List<String> pair : List.of(List.of("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
                List.of("/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"))) {
            try {
                String max = Files.readString(Path.of(pair.get(0))).trim();
                if (max.equals("max")) {
                    continue;
                }
                long limit = Long.parseLong(max);
                long used = Long.parseLong(Files.readString(Path.of(pair.get(1))).trim());
                if (limit > (1L << 50)) {
                    continue; // v1 reports "no limit" as a huge number
                }
                return Math.max(0, limit - used);
            } catch (IOException | RuntimeException e) {
                // not this cgroup version
            }
        }
        return -1;
    }
}
