package imagine.cli;

import imagine.core.CancellationToken;
import imagine.core.ImagineConfig;
import imagine.core.ImagineEngine;
import imagine.core.ProgressListener;
import imagine.core.RgbImage;
import imagine.core.SynthesisResult;
import imagine.model.Backbone;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Milliseconds per iteration of the default preset's objective, for each size and sample count,
 * split by phase, with peak memory. A warm-up run first, then the measured run; phase times are
 * per iteration of the measured run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure time per iteration and peak memory.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", paramLabel = "S", description = "Sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes = List.of(224);

    @Option(names = "--samples", split = ",", paramLabel = "N", description = "Sample counts (default: ${DEFAULT-VALUE}).")
    List<Integer> samples = List.of(1, 4);

    @Option(names = "--iterations", paramLabel = "N", description = "Measured iterations per case (default: ${DEFAULT-VALUE}).")
    int iterations = 30;

    @Option(names = "--reference", paramLabel = "FILE", description = "Reference image (default: a synthetic pattern).")
    Path reference;

    @Option(names = "--preset", paramLabel = "P", description = "Preset whose weights are timed (default: ${DEFAULT-VALUE}).")
    String preset = "default";

    @Mixin
    Main.Common common = new Main.Common();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Override
    public Integer call() {
        if (iterations < 2 || iterations > 10000) {
            throw new UserError("--iterations must be between 2 and 10000.");
        }
        RgbImage ref = reference == null ? pattern(256, 256) : Images.read(reference);
        ImagineConfig.Preset p = ImagineConfig.Preset.parse(preset);
        try (Backbone backbone = modelOptions.load()) {
            ImagineEngine engine = new ImagineEngine(backbone);
            System.out.println("device\t" + backbone.device() + "\tthreads\t" + Runtime.getRuntime().availableProcessors());
            System.out.println("size\tsamples\tms_per_iter\tforward\tobjective\tbackward\tdiscriminator\tupdate\tpreset_"
                    + p.key() + "_est_s");
            for (int s : sizes) {
                for (int n : samples) {
                    // Full-resolution, adversarial term on from the start: the most expensive steady state.
                    ImagineConfig cfg = ImagineConfig.preset(p).size(s, s).samples(n).iterations(iterations)
                            .coarseToFine(0, 1).adversarialStart(0).warmupIterations(0).build();
                    engine.synthesize(ref, cfg.toBuilder().iterations(3).build(), ProgressListener.NONE,
                            new CancellationToken());
                    SynthesisResult r = engine.synthesize(ref, cfg, ProgressListener.NONE, new CancellationToken());
                    Map<String, Long> t = r.timings();
                    double per = loopMillis(t) / iterations;
                    double estimate = estimateRun(engine, ref, ImagineConfig.preset(p).size(s, s).samples(n).build(), per);
                    System.out.printf(Locale.ROOT, "%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f%n", s, n, per,
                            t.get("forward") / (double) iterations, t.get("objective") / (double) iterations,
                            t.get("backward") / (double) iterations, t.getOrDefault("discriminator", 0L) / (double) iterations,
                            t.get("update") / (double) iterations, estimate);
                }
            }
            System.out.printf(Locale.ROOT, "peak_heap_mib\t%.0f%npeak_rss_mib\t%.0f%n", peakHeapMiB(), peakRssMiB());
        }
        return 0;
    }

    /** Seconds for a whole preset run: coarse iterations cost about a quarter, measured at half size. */
    private double estimateRun(ImagineEngine engine, RgbImage ref, ImagineConfig full, double perFineMs) {
        int coarse = full.coarseIterations();
        double perCoarse = 0;
        if (coarse > 0) {
            ImagineConfig c = full.toBuilder().size(full.width / full.coarseDivisor, full.height / full.coarseDivisor)
                    .iterations(iterations).coarseToFine(0, 1).adversarialStart(0).warmupIterations(0).build();
            Map<String, Long> t = engine.synthesize(ref, c, ProgressListener.NONE, new CancellationToken()).timings();
            perCoarse = loopMillis(t) / iterations;
        }
        return (coarse * perCoarse + (full.iterations - coarse) * perFineMs) / 1000.0;
    }

    /** Time in the iteration loop (excludes model warm-up, reference features and final classification). */
    static double loopMillis(Map<String, Long> t) {
        return t.get("forward") + t.get("objective") + t.get("backward") + t.getOrDefault("discriminator", 0L)
                + t.get("update");
    }

    static RgbImage pattern(int w, int h) {
        float[] p = new float[3 * w * h];
        java.util.Random r = new java.util.Random(1);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    p[(c * h + y) * w + x] = (float) (0.5 + 0.3 * Math.sin((x + 7 * c) / 9.0) * Math.cos(y / 13.0)
                            + 0.1 * r.nextGaussian());
                }
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.max(0, Math.min(1, p[i]));
        }
        return new RgbImage(w, h, p);
    }

    static double peakHeapMiB() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / 1048576.0;
    }

    /** VmHWM from /proc (Linux); NaN elsewhere. */
    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
