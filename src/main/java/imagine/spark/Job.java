package imagine.spark;

import imagine.batch.Manifest;
import imagine.batch.ReferenceRunner;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.core.CancellationToken;
import imagine.core.ImagineEngine;
import imagine.core.ProgressListener;
import imagine.model.Backbone;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkEnv;
import picocli.CommandLine;

/**
 * What a Spark task runs for one reference. It carries only the command line's words; each executor
 * JVM parses them once, loads the model once and keeps it (one engine per executor, reused by
 * every task there, one synthesis at a time), with the executor's cores as CPU threads
 * ({@link ExecutorCores}).
 */
record Job(String[] args, String out, String failOnce) implements Serializable {

    /** Per executor JVM: the parsed options, the loaded model and engine, the runner. */
    private record Executor(ImagineEngine engine, ReferenceRunner runner) {}

    private static final Map<String, Executor> EXECUTORS = new ConcurrentHashMap<>();

    /**
     * The one thread of this JVM that runs syntheses. Tasks of an executor with several slots run on
     * several Spark threads, and libtorch's OpenMP keeps a team of worker threads per calling thread:
     * syntheses that alternate between two calling threads took 16 s instead of 9.6 s each (local[2],
     * spark.task.cpus=1, 224 px fast preset). They run one at a time anyway (one engine per JVM).
     */
    private static final java.util.concurrent.ExecutorService SYNTHESIS_THREAD =
            java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "imagine-synthesis");
                t.setDaemon(true);
                return t;
            });

    Manifest.Row run(String reference) {
        CancellationToken cancel = new CancellationToken();
        java.util.concurrent.Future<Manifest.Row> running = SYNTHESIS_THREAD.submit(() -> {
            Executor e = EXECUTORS.computeIfAbsent(String.join("\u0000", args), k -> start(args));
            return e.runner().run(e.engine(), Path.of(reference), ProgressListener.NONE, cancel);
        });
        Manifest.Row row;
        try {
            row = running.get();
        } catch (InterruptedException ex) {
            // Spark killed the task (job cancelled, a speculative copy lost): a queued run never
            // starts, a running one stops at its next step, as `batch` does on Ctrl-C.
            running.cancel(false);
            cancel.cancel();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("task killed while " + reference + " was synthesized", ex);
        } catch (java.util.concurrent.ExecutionException ex) {
            if (ex.getCause() instanceof Error fatal) {
                throw fatal; // out of memory, a native library missing: not a failure to retry
            }
            throw ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException(ex.getCause());
        }
        injectFailure(reference);
        return row;
    }

    private static Executor start(String[] args) {
        SparkBatchOptions o = SparkBatchOptions.parse(args);
        ImagineConfig cfg = o.options.config(o.modelOptions.model());
        Controls targets = o.options.withTargets(Controls.none());
        Backbone backbone = o.modelOptions.load(); // kept for the executor's life
        int cpus = SparkEnv.get() == null ? 0 : ExecutorCores.threads(SparkEnv.get().conf(),
                java.util.List.of(ProcessHandle.current().info().arguments().orElse(new String[0])),
                Runtime.getRuntime().availableProcessors());
        ImagineEngine engine = o.modelOptions.engine(backbone, cpus);
        Path outDir = o.out.toAbsolutePath();
        return new Executor(engine, new ReferenceRunner(cfg, targets, outDir,
                (ref, placement) -> o.options.describe(ref, null, targets, placement)));
    }

    /** The test hook: fail this reference's first attempt after its files are written, as a lost executor would. */
    private void injectFailure(String reference) {
        if (failOnce == null || !Path.of(reference).getFileName().toString().equals(failOnce)) {
            return;
        }
        Path marker = Path.of(out, ".failed-once-" + failOnce);
        try {
            Files.createFile(marker);
        } catch (java.nio.file.FileAlreadyExistsException again) {
            return; // the retry: succeed
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        throw new IllegalStateException("injected failure of the first attempt at " + reference);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Job j && Arrays.equals(args, j.args) && out.equals(j.out)
                && java.util.Objects.equals(failOnce, j.failOnce);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(args) * 31 + out.hashCode();
    }

    @Override
    public String toString() {
        return "Job" + Arrays.toString(args);
    }
}
