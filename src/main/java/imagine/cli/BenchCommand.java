package imagine.cli;

import imagine.batch.Writable;
import imagine.UserInputException;
import imagine.batch.Images;
import imagine.config.ImagineConfig;
import imagine.core.CancellationToken;
import imagine.core.ImagineEngine;
import imagine.core.MemoryEstimate;
import imagine.core.ProgressListener;
import imagine.core.Timings;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.ModelSpec;
import imagine.objective.Stage;
import imagine.objective.Windowing;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Milliseconds per iteration of a preset's objective, for each size and sample count, split into
 * the classifier's forward and backward pass, the discriminator's training and the rest, with
 * memory. Per case: one short warm-up run, then {@code --repeats} measured runs at full
 * resolution with every term on (the most expensive steady state); the median run is reported.
 * With {@code --out}, also a CSV and a PNG plot (numbered, never overwritten).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure time per iteration and peak memory.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", paramLabel = "S", description = "Sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes = List.of(64, 128, 224, 320);

    @Option(names = "--samples", split = ",", paramLabel = "N", description = "Sample counts (default: ${DEFAULT-VALUE}).")
    List<Integer> samples = List.of(1, 4);

    @Option(names = "--iterations", paramLabel = "N", description = "Measured iterations per run (default: ${DEFAULT-VALUE}).")
    int iterations = 20;

    @Option(names = "--repeats", paramLabel = "N", description = "Measured runs per case; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--reference", paramLabel = "FILE", description = "Reference image (default: a synthetic pattern).")
    Path reference;

    @Option(names = "--preset", paramLabel = "P", description = "Preset whose weights are timed (default: ${DEFAULT-VALUE}).")
    String preset = "default";

    @Option(names = "--out", paramLabel = "DIR", description = "Also write bench-NNN.csv and bench-NNN.png there.")
    Path out;

    @Mixin
    Main.Common common = new Main.Common();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    /** One measured case. */
    record Row(int size, int samples, double msPerIteration, double forwardBackward, double discriminator, double rest,
            double estimateSeconds, double rssMiB, double admissionMiB) {}

    @Override
    public Integer call() {
        checkOptions();
        if (out != null) {
            Writable.folder(out, "--out");
        }
        RgbImage ref = reference == null ? pattern(256, 256) : Images.read(reference);
        ImagineConfig.Preset p = ImagineConfig.Preset.parse(preset);
        List<Row> rows = new ArrayList<>();
        String device;
        try (Backbone backbone = modelOptions.load()) {
            device = imagine.model.Engines.describe(backbone.device());
            ImagineEngine engine = modelOptions.engine(backbone);
            // The runs' own thread count: --threads applies inside each run, not to the process.
            int threads = modelOptions.threads != null && modelOptions.threads > 0 ? modelOptions.threads
                    : imagine.model.Engines.threads();
            System.out.println("device\t" + device + "\tthreads\t" + threads + "\tcores\t"
                    + Runtime.getRuntime().availableProcessors());
            System.out.println("size\tsamples\tms_per_iter\tfwd_bwd\tdiscriminator\trest\trss_mib\tadmission_est_mib\tpreset_"
                    + p.key() + "_est_s");
            for (int s : sizes) {
                for (int n : samples) {
                    Row row = measure(engine, ref, p, s, n);
                    rows.add(row);
                    System.out.printf(Locale.ROOT, "%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%.0f\t%.0f%n", row.size(),
                            row.samples(), row.msPerIteration(), row.forwardBackward(), row.discriminator(), row.rest(),
                            row.rssMiB(), row.admissionMiB(), row.estimateSeconds());
                }
            }
            printSummary(rows);
        }
        if (out != null) {
            List<Path> files = BenchReport.write(out, rows, device, p.key(), peakHeapMiB(), peakRssMiB());
            files.forEach(f -> System.out.println("wrote " + f));
        }
        return 0;
    }

    /** Every option within the settings' own limits, before the model loads. */
    private void checkOptions() {
        if (iterations < 2 || iterations > 10000) {
            throw new UserInputException("--iterations must be between 2 and 10000.");
        }
        if (repeats < 1 || repeats > 100) {
            throw new UserInputException("--repeats must be between 1 and 100.");
        }
        ImagineConfig.Setting side = ImagineConfig.setting("width");
        ImagineConfig.Setting count = ImagineConfig.setting("samples");
        if (sizes.isEmpty() || samples.isEmpty()) {
            throw new UserInputException("--sizes and --samples each need at least one number, e.g. --sizes 224 --samples 1.");
        }
        for (int s : sizes) {
            if (s < side.min() || s > side.max()) {
                throw new UserInputException("--sizes must be between " + side.limits().replace(" to ", " and ") + ", got "
                        + s + ".");
            }
        }
        for (int n : samples) {
            if (n < count.min() || n > count.max()) {
                throw new UserInputException("--samples must be between " + count.limits().replace(" to ", " and ")
                        + ", got " + n + ".");
            }
        }
    }

    /** Peak memory and how time grows with the pixel count. */
    private void printSummary(List<Row> rows) {
        System.out.printf(Locale.ROOT, "peak_heap_mib\t%.0f%npeak_rss_mib\t%.0f%n", peakHeapMiB(), peakRssMiB());
        for (int n : samples) {
            double slope = scalingExponent(rows, n);
            if (!Double.isNaN(slope)) {
                System.out.printf(Locale.ROOT, "scaling_exponent_samples_%d\t%.2f\t(time ~ pixels^x between the smallest "
                        + "and largest size; 1 = linear)%n", n, slope);
            }
        }
    }

    private Row measure(ImagineEngine engine, RgbImage ref, ImagineConfig.Preset p, int s, int n) {
        ImagineConfig cfg = steadyState(ImagineConfig.preset(p).size(s, s).samples(n)).build();
        engine.synthesize(ref, cfg.toBuilder().iterations(3).build(), ProgressListener.NONE, new CancellationToken());
        List<Timings> runs = new ArrayList<>();
        for (int k = 0; k < repeats; k++) {
            runs.add(engine.synthesize(ref, cfg, ProgressListener.NONE, new CancellationToken()).timings());
        }
        runs.sort(java.util.Comparator.comparingLong(Timings::loopMs));
        Timings t = runs.get(runs.size() / 2); // the median run
        double it = iterations;
        double per = t.loopMs() / it;
        double fb = (t.forwardMs() + t.backwardMs()) / it;
        double disc = t.termUpdatesMs() / it;
        double estimate = estimateRun(engine, ref, ImagineConfig.preset(p).size(s, s).samples(n).build(), per);
        // What the memory check expects this run to add to the process (the RSS column includes the model).
        double admission = MemoryEstimate.of(cfg, ModelSpec.costOf(engine.backbone().id()), Windowing.ALLOWED)
                .workBytes() / 1048576.0;
        return new Row(s, n, per, fb, disc, per - fb - disc, estimate, currentRssMiB(), admission);
    }

    /** Slope of log(ms) over log(pixels) between the smallest and the largest size. */
    static double scalingExponent(List<Row> rows, int samples) {
        Row lo = null;
        Row hi = null;
        for (Row r : rows) {
            if (r.samples() != samples) {
                continue;
            }
            if (lo == null || r.size() < lo.size()) {
                lo = r;
            }
            if (hi == null || r.size() > hi.size()) {
                hi = r;
            }
        }
        if (lo == null || lo.size() == hi.size()) {
            return Double.NaN;
        }
        return Math.log(hi.msPerIteration() / lo.msPerIteration()) / Math.log((double) hi.size() * hi.size() / (lo.size() * lo.size()));
    }

    /** Seconds for a whole preset run: each coarse stage's iterations timed at its own size, the rest at full size. */
    private double estimateRun(ImagineEngine engine, RgbImage ref, ImagineConfig full, double perFineMs) {
        List<Stage> stages = Stage.of(full, Windowing.ALLOWED);
        double ms = 0;
        for (Stage st : stages.subList(0, stages.size() - 1)) {
            // Outputs are at least 32 px; the engine's coarse stages may go down to 16, measured at 32.
            // The jitter (and so the view around the frame) shrinks with the stage, as in the run.
            int jitter = Stage.jitter(full, st.scale(full.output().width()));
            ImagineConfig c = steadyState(full.toBuilder().size(Math.max(32, st.width()), Math.max(32, st.height()))
                    .set("jitter", jitter)).build();
            Timings t = engine.synthesize(ref, c, ProgressListener.NONE, new CancellationToken()).timings();
            ms += st.iterations() * t.loopMs() / (double) iterations;
        }
        return (ms + (full.schedule().iterations() - full.coarseIterations()) * perFineMs) / 1000.0;
    }

    /** One stage at full size with every term on from the first step: the most expensive steady state. */
    private ImagineConfig.Builder steadyState(ImagineConfig.Builder b) {
        return b.iterations(iterations).set("coarse_fraction", 0).set("adversarial_start", 0)
                .set("warmup_iterations", 0).set("retry_below", 0);
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

    static double currentRssMiB() {
        long b = imagine.core.ProcessMemory.residentBytes();
        return b > 0 ? b / 1048576.0 : Double.NaN;
    }

    /** VmHWM from /proc (Linux); NaN elsewhere. */
    static double peakRssMiB() {
        long b = imagine.core.ProcessMemory.peakResidentBytes();
        return b >= 0 ? b / 1048576.0 : Double.NaN;
    }
}
