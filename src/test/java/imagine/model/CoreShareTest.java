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
        CoreShare mine = new CoreShare(fileOf(dir, ProcessHandle.current()));
        assertEquals(2, mine.threads(2), "alone: all of them");

        Process other = new ProcessBuilder("sleep", "60").start();
        try {
            Path theirs = fileOf(dir, other.toHandle());
            Files.writeString(dir.resolve("notes.txt"), "not a synthesis");
            assertEquals(1, mine.threads(2), "two syntheses on 2 cores: one thread each");
            assertEquals(4, mine.threads(8));

            other.destroyForcibly();
            other.waitFor(10, TimeUnit.SECONDS);
            assertEquals(2, mine.threads(2), "the other one is gone");
            assertFalse(Files.exists(theirs), "its file is removed");
            assertTrue(Files.exists(dir.resolve("notes.txt")), "other files are left alone");
        } finally {
            other.destroyForcibly();
        }

        // A reused pid (the same number, another start time) is not the process that registered.
        Path reused = dir.resolve(ProcessHandle.current().pid() + "-1");
        Files.writeString(reused, "");
        assertEquals(2, mine.threads(2));
        assertFalse(Files.exists(reused));

        mine.close();
        assertEquals(0, Files.list(dir).filter(f -> f.getFileName().toString().matches("\\d+-\\d+")).count());
        assertEquals(3, CoreShare.none().threads(3), "no share: all threads");
    }
}
