package imagine.batch;

import imagine.model.LiveProcess;
import java.io.IOException;
import java.util.Optional;

/**
 * A process as the files it holds name it (claims, locks): "pid start-millis host". The start
 * time tells the process that wrote the mark from a later one that got the same pid; the host
 * tells a process on this machine, which can be asked, from one elsewhere (a Spark executor, a job
 * on a shared folder), which cannot.
 */
final class ProcessMark {

    private ProcessMark() {}

    /** This process's mark. */
    static String current() {
        ProcessHandle h = ProcessHandle.current();
        return h.pid() + " " + LiveProcess.startMillis(h) + " " + host();
    }

    /**
     * Whether the process that {@code mark} names has ended: empty when that cannot be told (a mark
     * of another host, or not a mark at all).
     */
    static Optional<Boolean> gone(String mark) {
        String[] f = mark.trim().split(" ");
        if (f.length < 2 || (f.length > 2 && !f[2].equals(host()))) {
            return Optional.empty();
        }
        try {
            return Optional.of(!LiveProcess.alive(Long.parseLong(f[0]), Long.parseLong(f[1])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code text} is a mark at all (pid and start time, maybe a host), whoever wrote it. */
    static boolean isMark(String text) {
        String[] f = text.trim().split(" ");
        return (f.length == 2 || f.length == 3) && f[0].matches("\\d+") && f[1].matches("-?\\d+");
    }

    /**
     * Removes the lock {@code f} only while it still holds this process's mark: never a file put in
     * its place meanwhile. Never throws; what stays is said to be stale by the next run.
     */
    static void release(java.nio.file.Path f) {
        try {
            if (java.nio.file.Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && java.nio.file.Files.readString(f).trim().equals(current())) {
                java.nio.file.Files.deleteIfExists(f);
            }
        } catch (IOException | RuntimeException e) {
            // left in place: it names this process, which the next run finds gone
        }
    }

    /** The pid a mark names, or -1. */
    static long pid(String mark) {
        try {
            return Long.parseLong(mark.trim().split(" ")[0]);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replace(' ', '_');
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
