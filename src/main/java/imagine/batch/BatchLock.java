package imagine.batch;

import imagine.UserInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One batch per output folder at a time: {@code .imagine-batch.lock} holds the running job's
 * process (see ProcessMark). A second job refuses with a message; a lock left by a job that no
 * longer runs (killed) is taken over. Runs of `synthesize` into the folder are not affected (their numbers are claimed
 * atomically anyway).
 */
public final class BatchLock implements AutoCloseable {

    static final String FILE = ".imagine-batch.lock";
    private final Path file;

    private BatchLock(Path file) {
        this.file = file;
    }

    public static BatchLock acquire(Path outDir) {
        Path f = outDir.resolve(FILE);
        String me = ProcessMark.current();
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createDirectories(outDir);
                Files.writeString(f, me, java.nio.file.StandardOpenOption.CREATE_NEW);
                return new BatchLock(f);
            } catch (FileAlreadyExistsException e) {
                if (!imagine.model.ThisUser.owns(f)) {
                    // Another user's file in a shared folder: never read, never removed, whatever it says.
                    throw new UserInputException(outDir + " holds another user's batch lock (" + f.getFileName() + "); ask "
                            + "its owner to remove it if no batch of theirs runs, or choose another --out.");
                }
                if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    // A pipe would block the read: never opened.
                    throw new UserInputException(f + " is not a regular file (a pipe, a link or a folder), so it is no "
                            + "batch lock of IMAGINE's: remove it if no batch runs, or choose another --out.");
                }
                String holder = read(f);
                // Taken over only when its process is known to be gone (same pid, same start time, this host).
                if (!ProcessMark.gone(holder).orElse(false)) {
                    throw new UserInputException("Another batch is writing into " + outDir + " (process "
                            + ProcessMark.pid(holder) + "). Wait for it to finish or choose another --out; if none runs, "
                            + "delete " + f + ".");
                }
                try {
                    Files.deleteIfExists(f); // left by a job that was killed
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            } catch (IOException e) {
                throw new UserInputException("Cannot write into " + outDir + ": " + e.getMessage());
            }
        }
        throw new UserInputException("Cannot lock " + outDir + " for the batch; delete " + f + " if no batch is running.");
    }

    private static String read(Path f) {
        try {
            return Files.readString(f).trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        ProcessMark.release(file);
    }
}
