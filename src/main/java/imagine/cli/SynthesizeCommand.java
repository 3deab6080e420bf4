package imagine.cli;

import imagine.batch.Writable;
import imagine.UserInputException;
import imagine.batch.Images;
import imagine.batch.RunWriter;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.controls.Placement;
import imagine.core.CancellationToken;
import imagine.core.ClassChoice;
import imagine.core.ImagineEngine;
import imagine.core.SynthesisResult;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
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

    @Option(names = "--object-mask", paramLabel = "FILE", description = "Marks the object in the reference (same size or "
            + "aspect ratio as the reference; the object is what stands out from the mask's border). Default: the whole "
            + "reference.")
    Path objectMask;

    @Option(names = "--snapshot-every", paramLabel = "N", description = "Also write every sample as the classifier "
            + "sees it every N iterations (and at the last), into a new folder NAME-snapshots-NNN in --out: how the "
            + "samples form over the run.")
    Integer snapshotEvery;

    @Mixin
    SynthesisOptions options = new SynthesisOptions();

    @Mixin
    Main.Common common = new Main.Common();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Override
    public Integer call() {
        // Validate everything before loading the model or writing anything.
        ImagineConfig cfg = config();
        if (snapshotEvery != null && snapshotEvery < 1) {
            throw new UserInputException("--snapshot-every must be 1 or more (iterations between snapshots), not "
                    + snapshotEvery + ".");
        }
        Writable.folder(out, "--out");
        Images.Reference read = Images.readReference(reference);
        RgbImage ref = read.image();
        Controls controls = controls();
        Placement placement = controls.resolve(ref.width(), ref.height(), cfg.output().width(), cfg.output().height());
        placement.warnings().forEach(w -> System.err.println("Note: " + w));
        CancellationToken cancel = new CancellationToken();
        // The guard closes after the model (declared first): see ShutdownGuard.
        try (ShutdownGuard guard = ShutdownGuard.install(cancel); Backbone backbone = modelOptions.load()) {
            checkClass(options.classChoice(), backbone);
            ImagineEngine engine = modelOptions.engine(backbone);
            engine.check(cfg, imagine.objective.Windowing.of(placement)); // before the progress bar: a refusal is one line
            // The run's number is claimed only now, when everything is checked: a refused run touches nothing.
            long[] seeds = java.util.stream.LongStream.range(0, cfg.output().samples()).map(i -> cfg.output().seed() + i)
                    .toArray();
            try (RunWriter.Slot slot = RunWriter.reserve(out, baseName(reference), seeds, read.wide())) {
                SynthesisOptions.noteCleaned(slot.cleaned(), out);
                Snapshots snapshots = snapshotEvery == null ? null
                        : new Snapshots(snapshotEvery, slot.claim(), slot.snapshotsFolder(), cfg.output().seed());
                if (snapshots != null) {
                    engine = modelOptions.engine(backbone, snapshots);
                }
                SynthesisResult r;
                try {
                    r = run(engine, ref, controls, cfg, cancel);
                } catch (RuntimeException e) {
                    // A failed run leaves nothing, but a diverged run's snapshots, which show how it diverged.
                    boolean keep = e instanceof imagine.core.SynthesisDivergedException && snapshots != null
                            && snapshots.folder() != null;
                    slot.abandon(keep);
                    if (keep) {
                        System.err.println("Note: the snapshots up to the divergence are in " + snapshots.folder());
                    }
                    throw e;
                }
                var files = slot.write(r, options.describe(reference, objectMask, controls, placement), read.wide());
                report(r, files, snapshots, engine);
                return r.cancelled() ? Main.EXIT_CANCELLED : 0;
            }
        }
    }

    private SynthesisResult run(ImagineEngine engine, RgbImage ref, Controls controls, ImagineConfig cfg,
            CancellationToken cancel) {
        SynthesisResult r;
        try (ProgressBar bar = options.bar(cfg.schedule().iterations(), "IMAGINE")) {
            r = engine.synthesize(ref, controls, cfg, SynthesisOptions.listener(bar, 0, ""), cancel);
        }
        if (r.classFit() != null && !r.classFit().fits() && options.classChoice() == ClassChoice.REFERENCE) {
            System.err.println("Note: " + r.classFit().note() + " (--class NAME or a number).");
        }
        return r;
    }

    private void report(SynthesisResult r, java.util.List<Path> files, Snapshots snapshots, ImagineEngine engine) {
        System.out.println((r.cancelled() ? "Cancelled after " + r.iterationsDone() + " iterations; wrote " : "Wrote ")
                + files.size() + " files to " + out.toAbsolutePath() + ":");
        files.forEach(f -> System.out.println("  " + f.getFileName()));
        if (snapshots != null && snapshots.folder() != null) {
            System.out.println("Snapshots every " + snapshotEvery + " iterations in " + snapshots.folder().toAbsolutePath());
        }
        for (int i = 0; i < r.samples().size(); i++) {
            System.out.printf(Locale.ROOT, "  sample seed %d: class %d (%s), p(target)=%.3f%n", r.seeds()[i],
                    r.predictedClasses()[i], engine.label(r.predictedClasses()[i]),
                    r.targetProbabilities()[i]);
        }
    }

    Controls controls() {
        Controls c = Controls.none();
        if (objectMask != null) {
            c = c.withObjectMask(Images.readMask(objectMask, "--object-mask"));
        }
        return options.withTargets(c);
    }

    ImagineConfig config() {
        return options.config(modelOptions.model);
    }

    /** A class index beyond the model's is refused before any work. */
    static void checkClass(ClassChoice choice, Backbone backbone) {
        if (choice.index() >= backbone.labels().size()) {
            throw new UserInputException("--class " + choice.index() + " does not exist; model " + backbone.id()
                    + " has classes 0 to " + (backbone.labels().size() - 1) + ".");
        }
    }

    static String baseName(Path p) {
        return imagine.batch.ReferenceRunner.baseName(p);
    }

}
