package imagine.cli;

import imagine.batch.Writable;
import imagine.UserInputException;
import imagine.batch.BatchLock;
import imagine.batch.Manifest;
import imagine.batch.ReferenceRunner;
import imagine.batch.References;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.core.CancellationToken;
import imagine.core.ImagineEngine;
import imagine.model.Backbone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Many references with one model load: each reference's samples and sidecar land as `synthesize`
 * writes them, and {@code manifest.csv} says what became of each. A re-run resumes (finished
 * references are skipped, failed and cancelled ones retried); a bad reference is a failed row,
 * not the end of the job; Ctrl-C keeps what is finished and exits 130.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = "Synthesize from every image of a folder (or a list file), resumably, with one model load.")
final class BatchCommand implements Callable<Integer> {

    @Option(names = "--references", required = true, paramLabel = "DIR|LIST.txt",
            description = "A folder of images (sorted by name) or a text file naming one image per line.")
    Path references;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if needed).")
    Path out;

    @Mixin
    SynthesisOptions options = new SynthesisOptions();

    @Mixin
    Main.Common common = new Main.Common();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Override
    public Integer call() throws java.io.IOException {
        ImagineConfig cfg = options.config(modelOptions.model);
        Writable.folder(out, "--out");
        if (Files.isDirectory(references) && Files.isDirectory(out) && Files.isSameFile(references, out)) {
            throw new UserInputException("--out is the references folder: the samples would be taken for references by the "
                    + "next run. Give another output folder.");
        }
        List<Path> refs = References.of(references);
        Controls targets = options.withTargets(Controls.none());
        // The targets are in the output frame, the same for every reference: checked once, before the model loads.
        targets.resolve(cfg.output().width(), cfg.output().height(), cfg.output().width(), cfg.output().height());
        CancellationToken cancel = new CancellationToken();
        try (ShutdownGuard guard = ShutdownGuard.install(cancel); BatchLock lock = BatchLock.acquire(out);
                Backbone backbone = modelOptions.load()) {
            SynthesizeCommand.checkClass(options.classChoice(), backbone);
            ImagineEngine engine = modelOptions.engine(backbone);
            engine.check(cfg, imagine.objective.Windowing.of(targets));
            // Cleaned only once the batch lock is ours and the run is checked: a refused batch touches nothing.
            SynthesisOptions.noteCleaned(imagine.batch.NumberedFiles.cleanStale(out), out);
            Manifest manifest = Manifest.load(out);
            List<Path> pending = refs.stream().filter(r -> !manifest.done(r.toString())).toList();
            System.err.printf(Locale.ROOT, "batch: %d reference(s), %d already done, %d to do%n", refs.size(),
                    refs.size() - pending.size(), pending.size());
            ReferenceRunner runner = new ReferenceRunner(cfg, targets, out, (ref, placement) -> options.describe(ref, null,
                    targets, placement));
            int iterations = cfg.schedule().iterations();
            try (ProgressBar bar = options.bar((long) pending.size() * iterations, "IMAGINE batch")) {
                for (int i = 0; i < pending.size() && !cancel.isCancelled(); i++) {
                    Path ref = pending.get(i);
                    Manifest.Row row = runner.run(engine, ref, SynthesisOptions.listener(bar, (long) i * iterations,
                            (i + 1) + "/" + pending.size() + " " + ref.getFileName() + " "), cancel);
                    manifest.put(row);
                    if (row.status() == Manifest.Status.FAILED) {
                        System.err.println("batch: " + ref + " failed: " + row.error());
                    }
                }
            }
            long ok = manifest.rows().values().stream().filter(r -> r.status() == Manifest.Status.OK).count();
            Path manifestFile = out.resolve(Manifest.FILE);
            System.out.printf(Locale.ROOT, "%d of %d references done%s%s%n", ok, refs.size(),
                    cancel.isCancelled() ? " (cancelled)" : "", Files.exists(manifestFile)
                            ? "; manifest: " + manifestFile.toAbsolutePath() : "; nothing written yet");
            if (cancel.isCancelled()) {
                return Main.EXIT_CANCELLED;
            }
            // Scripts can tell a complete job from one with failed rows without reading the manifest.
            return ok < refs.size() ? 1 : 0;
        }
    }
}
