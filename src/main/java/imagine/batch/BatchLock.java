package imagine.batch;

import imagine.UserInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One batch per output folder at a time: {@code .imagine-batch.lock} holds the running job's process
 * id. A second job refuses with a message; a lock left by a job that no longer runs (killed) is
 * taken over. Runs of `synthesize` into the folder are not affected (their numbers are claimed
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
        String me = ProcessHandle.current().pid() + " " + Instant.now();
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createDirectories(outDir);
                Files.writeString(f, me, java.nio.file.StandardOpenOption.CREATE_NEW);
                return new BatchLock(f);
            } catch (FileAlreadyExistsException e) {
                String holder = read(f);
                long pid = parsePid(holder);
                if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new UserInputException("Another batch is writing into " + outDir + " (process " + pid + ", started "
                            + holder.substring(holder.indexOf(' ') + 1) + "). Wait for it to finish or choose another --out.");
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

    private static long parsePid(String holder) {
        try {
            return Long.parseLong(holder.split(" ")[0]);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
