package imagine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * IMAGINE's running syntheses on this machine, so that each can take its share of the cores.
 * libtorch's CPU threads spin while they wait for each other: two syntheses that each used both
 * cores of a 2-core machine took 32x as long as one alone, one thread each only 1.7x. A synthesis
 * with no thread count given (all cores) joins the share: a file named after its process in
 * {@code <tmp>/imagine-jobs-<user>/}, and {@link #threads()} is its thread count divided by the
 * live processes there (files of processes that are gone are removed). The Fiji plugin and the
 * command line of one user on one machine see each other when neither was given a thread count;
 * Spark executors take their executor's cores instead (ExecutorCores); other programs' load is
 * not seen (docs/command-line.md, "Several jobs on one machine").
 */
public final class CoreShare implements AutoCloseable {

    private static final CoreShare NONE = new CoreShare(null, 0);

    private final Path file;
    private final int all;

    CoreShare(Path file, int all) {
        this.file = file;
        this.all = all;
    }

    /** A share that never divides (a thread count was given, or the folder cannot be used). */
    public static CoreShare none() {
        return NONE;
    }

    /**
     * Registers this process's synthesis, which uses {@code all} threads when alone (libtorch's
     * count for the calling thread now); never throws (without the folder, no sharing).
     */
    public static CoreShare join(int all) {
        try {
            Path dir = folder();
            ProcessHandle me = ProcessHandle.current();
            Path f = dir.resolve(me.pid() + "-" + LiveProcess.startMillis(me));
            Files.writeString(f, "");
            return new CoreShare(f, all);
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    static Path folder() throws IOException {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "imagine-jobs-" + user);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        // Only a private folder of one's own: another user's could make this process take one thread forever.
        if (!Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS).equals(ThisUser.uid())
                || !Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(
                        PosixFilePermissions.fromString("rwx------"))) {
            throw new IOException(dir + " is not a private folder of this user");
        }
        return dir;
    }

    Path file() {
        return file;
    }

    /** Whether this share divides anything (false for {@link #none()}). */
    public boolean active() {
        return file != null;
    }

    /** CPU threads for this synthesis now: its count alone over the live syntheses, at least 1. */
    public int threads() {
        return Math.max(1, all / Math.max(1, live(file.getParent())));
    }

    /** Live processes with a file in {@code dir}; removes the files of processes that are gone. */
    static int live(Path dir) {
        int n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (!name.matches("\\d+-\\d+")) {
                    continue; // not a synthesis's file: leave it
                }
                if (alive(name)) {
                    n++;
                } else {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 1;
        }
        return n;
    }

    /** "pid-startMillis" of a process that still runs (the same process, not a reused pid). */
    static boolean alive(String name) {
        int dash = name.indexOf('-');
        try {
            return LiveProcess.alive(Long.parseLong(name.substring(0, dash)), Long.parseLong(name.substring(dash + 1)));
        } catch (RuntimeException e) {
            return false; // not one of ours
        }
    }

    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a stale file is removed by the next synthesis that looks
            }
        }
    }
}
