package imagine.batch;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Numbered outputs that never overwrite: runs, reports and benchmarks get the first number whose
 * files are all free. A number is claimed by creating a claim file atomically, so two processes
 * writing into one folder get different numbers; files are written to temporary names and put in
 * place complete, never over an existing file. The claim records what the run writes (see {@link
 * Claim}), so that the next run into the folder removes what a killed run left, and only that:
 * see {@link StaleClaims}.
 */
public final class NumberedFiles {

    private NumberedFiles() {}

    /**
     * The first number n (from 1) for which none of {@code names.apply(n)} exists and whose claim
     * file {@code .<first name>.claim} could be created. Before looking, what killed runs left in
     * {@code dir} is removed ({@link Claim#cleaned()} says what); a caller claims only once its
     * input is checked, so a refused run removes nothing. The first name is the one written last
     * (a run's sidecar): once it is in place the run is whole.
     */
    public static Claim claim(Path dir, IntFunction<List<Path>> names) throws IOException {
        Files.createDirectories(dir);
        Path abs = dir.toAbsolutePath().normalize();
        List<Path> cleaned = StaleClaims.clean(abs);
        for (int n = 1; n < 1_000_000; n++) {
            List<Path> files = names.apply(n);
            Path file = dir.resolve("." + files.get(0).getFileName() + ".claim");
            if (taken(file) || files.stream().anyMatch(NumberedFiles::taken)) {
                continue;
            }
            String token = token();
            byte[] head = Claim.header(token, abs, files.get(0)).getBytes(StandardCharsets.UTF_8);
            SeekableByteChannel ch;
            try {
                ch = createPrivate(file);
            } catch (FileAlreadyExistsException raced) {
                continue; // another process took this number a moment ago (or a link has its name: never followed)
            }
            Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            try {
                // One write: a kill can leave the claim empty, never half a line (StaleClaims removes an empty one).
                ch.write(ByteBuffer.wrap(head));
            } catch (IOException full) {
                ch.close();
                Files.deleteIfExists(file); // made a moment ago by this call (a full disk): nothing left to trip over
                throw full;
            }
            Claim claim = new Claim(n, dir, file, key, ch, token, cleaned);
            if (files.stream().anyMatch(NumberedFiles::taken)) {
                claim.discardAll(); // written meanwhile by a writer that does not claim
                continue;
            }
            return claim;
        }
        throw new IOException("no free number in " + dir);
    }

    /**
     * Removes what killed runs left in {@code dir} (see {@link StaleClaims}); returns what was
     * removed. {@link #claim} does it too: call this only once the run's input is checked.
     */
    public static List<Path> cleanStale(Path dir) {
        return StaleClaims.clean(dir);
    }

    /**
     * A new file only this user can read and write (the claim's token stays private), opened for
     * writing; the exclusive create never follows a link of that name.
     */
    private static SeekableByteChannel createPrivate(Path file) throws IOException {
        Set<StandardOpenOption> opts = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return Files.newByteChannel(file, opts, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException noPosix) {
            return Files.newByteChannel(file, opts);
        }
    }

    /** Whether a name is in use, by anything: a file, a folder, a link (even a broken one). */
    static boolean taken(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** This process, as a claim file records it: "pid start-millis host". */
    public static String owner() {
        return ProcessMark.current();
    }

    /** Content written by a caller into a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes a new file {@code target} that no claim covers (a map beside a sample): through a
     * temporary beside it, put in place complete, never over an existing file.
     */
    public static Path writeNew(Path target, Content content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + token() + ".part");
        OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW); // ours from here on
        try {
            try (out) {
                content.writeTo(out);
            }
            return publish(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Replaces {@code target}, a file this program keeps up to date (a batch's manifest), with new
     * content: written to a new temporary (an exclusive create, so never through a link someone put
     * there) and renamed over it, which replaces a link of that name rather than writing through it.
     */
    public static void replace(Path target, Content content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + token() + ".part");
        OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW);
        try {
            try (out) {
                content.writeTo(out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Puts the complete temporary {@code tmp} in place as {@code target} unless something has that
     * name: a hard link fails atomically on an existing name, where a rename would replace it. File
     * systems without hard links get a check, then a rename.
     */
    static Path publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            Files.delete(tmp);
            return target;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException noLinks) {
            if (taken(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            return Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** 16 random hex digits: a claim's temporaries carry it, so no user's file has their names. */
    static String token() {
        byte[] b = new byte[8];
        new java.security.SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
