package imagine.batch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Numbered outputs that never overwrite: runs, reports and benchmarks get the first number whose
 * files are all free. A number is claimed by creating a claim file atomically, so two processes
 * writing into one folder get different numbers; files are written to temporary names and moved
 * into place, so a crash never leaves a file that looks finished. A claim file names the process
 * that holds it (pid and start time): the next run into the folder removes what a killed run left
 * (its claim, its temporaries, the samples it had moved into place without their sidecar), and a
 * live run's files are never touched.
 */
public final class NumberedFiles {

    private NumberedFiles() {}

    /** A claimed number; closing it releases the claim (after the files are in place). */
    public record Claim(int number, Path claimFile) implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(claimFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The first number n (from 1) for which none of {@code names.apply(n)} exists and whose claim
     * file {@code .<first name>.claim} could be created.
     */
    public static Claim claim(Path dir, IntFunction<List<Path>> names) throws IOException {
        Files.createDirectories(dir);
        for (int n = 1; n < 1_000_000; n++) {
            List<Path> files = names.apply(n);
            Path claim = dir.resolve("." + files.get(0).getFileName() + ".claim");
            if (Files.exists(claim) || files.stream().anyMatch(Files::exists)) {
                continue;
            }
            try {
                Files.createFile(claim);
                Files.writeString(claim, owner());
            } catch (FileAlreadyExistsException raced) {
                continue; // another process took this number a moment ago
            }
            if (files.stream().anyMatch(Files::exists)) {
                Files.delete(claim); // written meanwhile by a writer that does not claim
                continue;
            }
            return new Claim(n, claim);
        }
        throw new IOException("no free number in " + dir);
    }

    /** Removes a file or folder tree, quietly (cleanup on the way out). */
    public static void discard(Path p) {
        try {
            deleteTree(p);
        } catch (IOException e) {
            // best effort
        }
    }

    /** This process, as a claim file records it: "pid start-millis host". */
    public static String owner() {
        ProcessHandle h = ProcessHandle.current();
        return h.pid() + " " + imagine.model.LiveProcess.startMillis(h) + " " + host();
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().replace(' ', '_');
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * Whether the claim was left by a process that is gone: its pid no longer runs (or runs a
     * process started at another time). A claim without an owner (written by an older version) is
     * stale after a day.
     */
    static boolean stale(Path claim) throws IOException {
        String[] mark = Files.readString(claim).trim().split(" ");
        boolean old = Files.getLastModifiedTime(claim).toMillis() < System.currentTimeMillis() - 86_400_000L;
        // Another machine's process (a Spark executor, a job on a shared folder) cannot be asked: only age tells.
        if (mark.length < 2 || (mark.length > 2 && !mark[2].equals(host()))) {
            return old;
        }
        try {
            return !imagine.model.LiveProcess.alive(Long.parseLong(mark[0]), Long.parseLong(mark[1]));
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Removes what killed runs left in {@code dir}: for each stale claim {@code .<run>.<ext>.claim},
     * the claim, and, unless the run's sidecar {@code <run>.json} shows it finished, the files the
     * run names ({@code <run>.<ext>}, {@code <run>-s<seed>.png|tif}), their hidden {@code .part}
     * temporaries and a folder named {@code <run>} (a half-written report). Exact names only: a
     * reference called {@code img-001.png} has runs {@code img-001-001...} that are never touched.
     * Returns what was removed.
     */
    public static List<Path> cleanStale(Path dir) {
        List<Path> removed = new java.util.ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            List<Path> claims = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(".") && n.endsWith(".claim");
            }).toList();
            for (Path claim : claims) {
                if (!stale(claim)) {
                    continue;
                }
                String name = claim.getFileName().toString();
                if (name.length() <= ".x.claim".length()) {
                    continue;
                }
                String run = name.substring(1, name.length() - ".claim".length()).replaceFirst("\\.[^.]+$", "");
                if (!Files.exists(dir.resolve(run + ".json"))) {
                    java.util.regex.Pattern mine = java.util.regex.Pattern.compile("\\.?" + java.util.regex.Pattern.quote(run)
                            + "(\\.[A-Za-z]+|-s-?\\d+\\.(png|tif))?(\\.part)?");
                    try (java.util.stream.Stream<Path> all = Files.list(dir)) {
                        for (Path p : (Iterable<Path>) all::iterator) {
                            String n = p.getFileName().toString();
                            if (!p.equals(claim) && mine.matcher(n).matches()) {
                                deleteTree(p);
                                removed.add(p);
                            }
                        }
                    }
                }
                Files.deleteIfExists(claim);
                removed.add(claim);
            }
        } catch (IOException e) {
            // Cleaning is a courtesy: a folder that cannot be listed fails at the write with its reason.
        }
        return removed;
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (java.util.stream.Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(q);
                }
            }
        } else {
            Files.deleteIfExists(p);
        }
    }

    /** The first n (from 1) for which {@code create} succeeds in making a new folder (atomic: two runs never share one). */
    public static Path newFolder(Path parent, IntFunction<String> name) throws IOException {
        Files.createDirectories(parent);
        for (int n = 1; n < 1_000_000; n++) {
            Path d = parent.resolve(name.apply(n));
            if (Files.exists(d)) {
                continue;
            }
            try {
                return Files.createDirectory(d);
            } catch (FileAlreadyExistsException raced) {
                // taken meanwhile
            }
        }
        throw new IOException("no free number in " + parent);
    }

    /** Content written by a caller into a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} through a temporary file beside it, moved into place when complete. The
     * target must be claimed (it must not exist): the move replaces nothing.
     */
    public static Path write(Path target, Content content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".part");
        try {
            // The target's number is claimed, so a temporary of that name is a killed run's leftover: ours to replace.
            Files.deleteIfExists(tmp);
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                content.writeTo(out);
            }
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            return Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
