package imagine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container's limit as the memory check reads it: absent, set, or there but unreadable (said, not taken for none). */
class ProcessMemoryTest {

    @Test
    void aLimitIsReadAndAnUnreadableOneIsSaid(@TempDir Path dir) throws Exception {
        Path max = dir.resolve("memory.max");
        Path current = dir.resolve("memory.current");
        List<List<Path>> v2 = List.of(List.of(max, current));
        assertEquals(new ProcessMemory.Container(-1, null), ProcessMemory.container(v2), "no cgroup files: no limit");
        Files.writeString(max, "max\n");
        Files.writeString(current, "100\n");
        assertEquals(-1, ProcessMemory.container(v2).freeBytes(), "'max' is no limit");
        Files.writeString(max, "1000\n");
        assertEquals(new ProcessMemory.Container(900, null), ProcessMemory.container(v2));
        Files.writeString(current, "garbage\n");
        ProcessMemory.Container bad = ProcessMemory.container(v2);
        assertEquals(-1, bad.freeBytes());
        assertTrue(bad.problem() != null && bad.problem().contains("could not be read"), bad.toString());
    }

    @Test
    void durationsReadAsPeopleSayThem() {
        assertEquals("4.2 s", Durations.text(4.2));
        assertEquals("38 s", Durations.text(38));
        assertEquals("12 min", Durations.text(720));
        assertEquals("2.5 h", Durations.text(9000));
    }
}
