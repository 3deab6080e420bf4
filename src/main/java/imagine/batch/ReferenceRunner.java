package imagine.batch;

import imagine.UserInputException;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.controls.Placement;
import imagine.core.CancellationToken;
import imagine.core.ImagineEngine;
import imagine.core.ProgressListener;
import imagine.core.SynthesisResult;
import imagine.image.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * One reference of a batch, from image to files and manifest row, the same way in `batch` and on a
 * Spark executor. A reference that cannot be read, or whose run fails, becomes a failed row with
 * the message. Repeatable: when a finished run of this reference with these parameters is already
 * in the output folder (a retried or speculative task), it is reported instead of written again;
 * two attempts at once take turns through a lock file.
 */
public final class ReferenceRunner {

    /** Lock files this JVM holds (a Spark executor runs several tasks in one JVM). */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final ImagineConfig cfg;
    private final Controls targets;
    private final Path outDir;
    private final BiFunction<Path, Placement, Map<String, Object>> describe;

    /**
     * @param targets output-frame controls for every reference (none for the plain method)
     * @param describe the sidecar's description of a reference's inputs
     */
    public ReferenceRunner(ImagineConfig cfg, Controls targets, Path outDir,
            BiFunction<Path, Placement, Map<String, Object>> describe) {
        this.cfg = cfg;
        this.targets = targets;
        this.outDir = outDir;
        this.describe = describe;
    }

    /** Runs one reference; never throws for a bad reference or a failed run (a failed row says why). */
    public Manifest.Row run(ImagineEngine engine, Path reference, ProgressListener listener, CancellationToken cancel) {
        long t0 = System.nanoTime();
        String key = reference.toString();
        String base = baseName(reference);
        try (Lock lock = Lock.take(outDir, base, reference, cancel)) {
            RunWriter.Finished earlier = RunWriter.findFinished(outDir, base, reference, cfg.toMap());
            if (earlier != null) {
                return row(key, Manifest.Status.OK, earlier.files(), seeds(earlier.seeds()), earlier.targetClass(),
                        earlier.meanTargetProbability(), seconds(t0), "");
            }
            Images.Reference read = Images.readReference(reference);
            RgbImage ref = read.image();
            Placement placement = targets.resolve(ref.width(), ref.height(), cfg.output().width(), cfg.output().height());
            SynthesisResult r = engine.synthesize(ref, targets, cfg, listener, cancel);
            List<Path> files = RunWriter.write(outDir, base, r, describe.apply(reference, placement), read.wide());
            double p = java.util.Arrays.stream(r.targetProbabilities()).average().orElse(Double.NaN);
            return row(key, r.cancelled() ? Manifest.Status.CANCELLED : Manifest.Status.OK, files, seeds(r.seeds()),
                    r.targetClass(),
                    p, seconds(t0), r.cancelled() ? "cancelled at " + r.iterationsDone() + "/" + cfg.schedule().iterations()
                            : "");
        } catch (UserInputException | UncheckedIOException e) {
            return Manifest.Row.failed(key, seconds(t0), oneLine(e.getMessage()));
        } catch (RuntimeException e) {
            return Manifest.Row.failed(key, seconds(t0), oneLine("internal error: " + e));
        }
    }

    private Manifest.Row row(String ref, Manifest.Status status, List<Path> files, String seeds, int cls, double p,
            double secs, String error) {
        String names = files.stream().map(f -> f.getFileName().toString()).collect(Collectors.joining(" "));
        return new Manifest.Row(ref, status, names, seeds, cls, p, secs, error);
    }

    private static String seeds(long[] seeds) {
        return java.util.Arrays.stream(seeds).mapToObj(Long::toString).collect(Collectors.joining(" "));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String oneLine(String s) {
        return String.valueOf(s).replaceAll("\\s+", " ").trim();
    }

    /** The longest stem outputs are named by: with the run's number and seed it stays far below a file name's 255 bytes. */
    static final int MAX_STEM = 100;

    /** The file name stem of a reference, as `synthesize` names its outputs (a longer name is cut). */
    public static String baseName(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String stem = (dot > 0 ? n.substring(0, dot) : n).replaceAll("[^A-Za-z0-9._-]", "_");
        return stem.length() > MAX_STEM ? stem.substring(0, MAX_STEM) : stem;
    }

    /** A per-reference lock file, held while one attempt runs it; others wait, then find its output. */
    private record Lock(Path file) implements AutoCloseable {

        static Lock take(Path outDir, String base, Path reference, CancellationToken cancel) {
            Path f = outDir.resolve(".imagine-" + base + "-" + Integer.toHexString(reference.toAbsolutePath().hashCode())
                    + ".lock");
            try {
                Files.createDirectories(outDir);
                while (true) {
                    try {
                        Files.writeString(f, ProcessMark.current(), StandardOpenOption.CREATE_NEW);
                        HELD.add(f);
                        return new Lock(f);
                    } catch (FileAlreadyExistsException busy) {
                        if (!imagine.model.ThisUser.owns(f)) {
                            // Another user's lock is never read, removed or waited for.
                            throw new UserInputException("Another user's lock " + f + " holds this reference; ask its owner "
                                    + "to remove it if no run of theirs is going, or use another output folder.");
                        }
                        if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            throw new UserInputException(f + " is not a regular file (a pipe, a link or a folder), so it is no "
                                    + "lock of IMAGINE's: remove it, or use another output folder.");
                        }
                        if (notALock(f)) {
                            throw new UserInputException(f + " holds something other than a process, so it is no lock "
                                    + "of IMAGINE's: remove it, or use another output folder.");
                        }
                        if (stale(f)) {
                            Files.deleteIfExists(f);
                        } else if (cancel.isCancelled()) {
                            throw new UserInputException("cancelled while another attempt at " + reference + " held it");
                        } else {
                            Thread.sleep(500); // another attempt runs this reference: wait for its output
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write into " + outDir + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserInputException("interrupted while waiting for another attempt at " + reference);
            }
        }

        /** Whether {@code f} holds text that is no process mark (empty is a lock being written, or a kill's). */
        private static boolean notALock(Path f) {
            try {
                String text = Files.readString(f);
                return !text.isBlank() && !ProcessMark.isMark(text);
            } catch (IOException | RuntimeException e) {
                return false; // being written or just released: look again
            }
        }

        /** Left by a process that died, or by this JVM without a task holding it. */
        private static boolean stale(Path f) {
            try {
                String mark = Files.readString(f);
                if (mark.trim().equals(ProcessMark.current())) {
                    return !HELD.contains(f);
                }
                // Another host's process cannot be asked: after half an hour its attempt is taken for dead (at worst
                // the reference is run twice, into two numbers). An empty file is a kill between create and write;
                // anything else that is no mark is not IMAGINE's: refused by take(), never removed.
                return ProcessMark.gone(mark).orElseGet(() -> age(f) > 30 * 60_000L);
            } catch (IOException | RuntimeException e) {
                return false; // being written: look again
            }
        }

        private static long age(Path f) {
            try {
                return System.currentTimeMillis() - Files.getLastModifiedTime(f).toMillis();
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public void close() {
            HELD.remove(file);
            ProcessMark.release(file);
        }
    }
}
