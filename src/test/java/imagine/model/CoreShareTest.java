package imagine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syntheses of other processes divide the cores; files of processes that are gone do not count. */
class CoreShareTest {

    static Path fileOf(Path dir, ProcessHandle p) throws Exception {
        Path f = dir.resolve(p.pid() + "-" + p.info().startInstant().orElseThrow().toEpochMilli());
        Files.writeString(f, "");
        return f;
    }

    @Test
    void otherLiveSynthesesDivideTheCoresAndGoneOnesAreRemoved(@TempDir Path dir) throws Exception {
        CoreShare mine = new CoreShare(fileOf(dir, ProcessHandle.current()), 2);
        assertEquals(2, mine.threads(), "alone: all of them");

        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Path theirs = fileOf(dir, other.toHandle());
            Files.writeString(dir.resolve("notes.txt"), "not a synthesis");
            assertEquals(1, mine.threads(), "two syntheses on 2 cores: one thread each");
            assertEquals(4, new CoreShare(mine.file(), 8).threads());

            other.destroyForcibly();
            other.waitFor(10, TimeUnit.SECONDS);
            assertEquals(2, mine.threads(), "the other one is gone");
            assertFalse(Files.exists(theirs), "its file is removed");
            assertTrue(Files.exists(dir.resolve("notes.txt")), "other files are left alone");
        } finally {
            other.destroyForcibly();
        }

        // A reused pid (the same number, another start time) is not the process that registered.
        Path reused = dir.resolve(ProcessHandle.current().pid() + "-1");
        Files.writeString(reused, "");
        assertEquals(2, mine.threads());
        assertFalse(Files.exists(reused));

        mine.close();
        assertEquals(0, Files.list(dir).filter(f -> f.getFileName().toString().matches("\\d+-\\d+")).count());
        assertFalse(CoreShare.none().active(), "no share: nothing divided");
    }

    @Test
    void aScopeWithoutAThreadCountUndoesWhatTheShareSetMeanwhile() throws Exception {
        Thread t = new Thread(() -> {
            int before = Engines.threads();
            try (Engines.ThreadScope scope = Engines.withThreads(0)) {
                Engines.setThreads(1); // as the share does while another synthesis runs
            }
            assertEquals(before, Engines.threads(), "the next synthesis on this thread starts with all again");
        });
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        t.setUncaughtExceptionHandler((th, e) -> failure.set(e));
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
