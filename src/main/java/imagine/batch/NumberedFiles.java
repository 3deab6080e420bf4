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
 * into place, so a crash never leaves a file that looks finished (an unfinished run keeps its
 * claim file, and its number is never reused).
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
