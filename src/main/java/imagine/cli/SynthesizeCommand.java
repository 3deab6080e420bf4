package imagine.cli;

import imagine.UserInputException;
import imagine.core.CancellationToken;
import imagine.core.Controls;
import imagine.core.Placement;
import imagine.core.Target;
import imagine.core.ImagineConfig;
import imagine.core.ImagineEngine;
import imagine.core.Progress;
import imagine.core.ProgressListener;
import imagine.core.RgbImage;
import imagine.core.SynthesisResult;
import imagine.model.Backbone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Synthesizes samples from a reference image and writes PNGs plus a JSON sidecar. */
@Command(name = "synthesize", mixinStandardHelpOptions = true,
        description = "Synthesize new images from one reference image.")
final class SynthesizeCommand implements Callable<Integer> {

    @Option(names = "--reference", required = true, paramLabel = "FILE", description = "The reference image.")
    Path reference;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if needed).")
    Path out;

    @Option(names = "--samples", paramLabel = "N", description = "Samples optimized together (default: 1).")
    Integer samples;

    @Option(names = "--size", paramLabel = "S|WxH", description = "Output size (default: 224).")
    String size;

    @Option(names = "--iterations", paramLabel = "N", description = "Iterations (default: from the preset).")
    Integer iterations;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the first sample; sample i uses S+i (default: 0).")
    Long seed;

    @Option(names = "--preset", paramLabel = "P", description = "fast, default or quality (default: ${DEFAULT-VALUE}).")
    String preset = "default";

    @Option(names = "--class", paramLabel = "INDEX", description = "Target class (default: the reference's top-1).")
    Integer targetClass;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any engine setting by name, e.g. "
            + "--set feature_weight=1.0 (repeatable; `imagine settings` lists them all).")
    java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();

    @Option(names = "--object-mask", paramLabel = "FILE", description = "Marks the object in the reference (same size or "
            + "aspect ratio as the reference; the object is what stands out from the mask's border). Default: the whole "
            + "reference.")
    Path objectMask;

    @Option(names = "--target-box", paramLabel = "x,y,w,h", description = "Position control: put an instance of the object "
            + "in this rectangle of the output (repeatable; output pixels, 0,0 = top left).")
    java.util.List<String> targetBoxes = new java.util.ArrayList<>();

    @Option(names = "--target-mask", paramLabel = "FILE", description = "Shape control: give the object this silhouette in "
            + "the output (repeatable; same size or aspect ratio as the output).")
    java.util.List<Path> targetMasks = new java.util.ArrayList<>();

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Mixin
    Main.Common common = new Main.Common();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Override
    public Integer call() {
        // Validate everything before loading the model or writing anything.
        ImagineConfig cfg = config();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UserInputException("--out " + out + " is a file; give a folder.");
        }
        RgbImage ref = Images.read(reference);
        Controls controls = controls();
        Placement placement = controls.resolve(ref.width(), ref.height(), cfg.output().width(), cfg.output().height());
        placement.warnings().forEach(w -> System.err.println("Note: " + w));
        try (Backbone backbone = modelOptions.load()) {
            if (targetClass != null && targetClass >= backbone.labels().size()) {
                throw new UserInputException("--class " + targetClass + " does not exist; model " + backbone.id() + " has classes 0 to "
                        + (backbone.labels().size() - 1) + ".");
            }
            ImagineEngine engine = modelOptions.engine(backbone);
            engine.checkMemory(cfg); // before the progress bar: a refusal is one line
            CancellationToken cancel = new CancellationToken();
            CountDownLatch finished = new CountDownLatch(1);
            // Ctrl-C: stop at the next iteration and still write what exists, marked cancelled.
            Thread hook = new Thread(() -> {
                cancel.cancel();
                try {
                    finished.await();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            SynthesisResult r;
            try {
                try (ProgressBar bar = quiet ? null : bar(cfg)) {
                    r = engine.synthesize(ref, controls, cfg, listener(bar), cancel);
                }
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("reference", reference.toAbsolutePath().toString());
                extra.put("preset", preset);
                if (!controls.isEmpty()) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("object_mask", objectMask == null ? null : objectMask.toAbsolutePath().toString());
                    c.put("target_boxes", targetBoxes);
                    c.put("target_masks", targetMasks.stream().map(m -> m.toAbsolutePath().toString()).toList());
                    c.put("resolved", controls.describe());
                    c.put("warnings", placement.warnings());
                    extra.put("controls", c);
                }
                var files = RunWriter.write(out, baseName(reference), r, extra);
                System.out.println((r.cancelled() ? "Cancelled after " + r.iterationsDone() + " iterations; wrote " : "Wrote ")
                        + files.size() + " files to " + out.toAbsolutePath() + ":");
                files.forEach(f -> System.out.println("  " + f.getFileName()));
                for (int i = 0; i < r.samples().size(); i++) {
                    System.out.printf(Locale.ROOT, "  sample seed %d: class %d (%s), p(target)=%.3f%n", r.seeds()[i],
                            r.predictedClasses()[i], engine.label(r.predictedClasses()[i]), r.targetProbabilities()[i]);
                }
            } finally {
                // Whatever happened, the Ctrl-C hook must not wait for a run that has ended.
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting because of Ctrl-C: the hook is already running
                }
            }
            return r.cancelled() ? Main.EXIT_CANCELLED : 0;
        }
    }

    Controls controls() {
        Controls c = Controls.none();
        if (objectMask != null) {
            c = c.withObjectMask(Images.readMask(objectMask, "--object-mask"));
        }
        for (String b : targetBoxes) {
            try {
                c = c.withTarget(Target.Box.parse(b));
            } catch (UserInputException e) {
                throw new UserInputException("--target-box: " + e.getMessage());
            }
        }
        for (Path m : targetMasks) {
            c = c.withTarget(new Target.Shape(Images.readMask(m, "--target-mask")));
        }
        return c;
    }

    ImagineConfig config() {
        ImagineConfig.Builder b;
        try {
            b = ImagineConfig.preset(ImagineConfig.Preset.parse(preset));
        } catch (UserInputException e) {
            throw new UserInputException("--preset: " + e.getMessage());
        }
        if (size != null) {
            int[] wh = SizeParser.parse(size);
            b.size(wh[0], wh[1]);
        }
        if (samples != null) {
            b.samples(samples);
        }
        if (iterations != null) {
            b.iterations(iterations);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (targetClass != null) {
            b.targetClass(targetClass);
        }
        b.model(modelOptions.model);
        settings.forEach(b::set);
        return b.build();
    }

    static String baseName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static ProgressBar bar(ImagineConfig cfg) {
        return new ProgressBarBuilder().setTaskName("IMAGINE").setInitialMax(cfg.schedule().iterations())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setMaxRenderedLength(150)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
    }

    private static ProgressListener listener(ProgressBar bar) {
        if (bar == null) {
            return ProgressListener.NONE;
        }
        return (Progress p) -> {
            bar.stepTo(p.iteration());
            StringBuilder sb = new StringBuilder(p.stage());
            p.losses().forEach((k, v) -> sb.append(' ').append(k).append('=').append(String.format(Locale.ROOT, "%.3g", v)));
            bar.setExtraMessage(sb.toString());
        };
    }
}
