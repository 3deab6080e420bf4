package imagine.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * What the operating system says about memory: this process's resident size and peak, the
 * machine's available memory, and what a container's limit leaves. Linux files; elsewhere the
 * answers are "not known" (-1).
 */
public final class ProcessMemory {

    private ProcessMemory() {}

    /** What a container's memory limit leaves: -1 bytes when there is no limit; {@code problem} when the limit could not be read. */
    public record Container(long freeBytes, String problem) {}

    /** A field of /proc/meminfo in bytes, or -1 (not Linux). */
    public static long meminfo(String key) {
        return field(Path.of("/proc/meminfo"), key);
    }

    /** This process's resident memory (VmRSS) in bytes, or 0 where it is not known. */
    public static long residentBytes() {
        return Math.max(0, field(Path.of("/proc/self/status"), "VmRSS:"));
    }

    /** This process's peak resident memory (VmHWM) in bytes, or -1 where it is not known. */
    public static long peakResidentBytes() {
        return field(Path.of("/proc/self/status"), "VmHWM:");
    }

    /** A "Key:   123 kB" line of a /proc file, in bytes; -1 when the file or the key is not there. */
    static long field(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * What the container's memory limit leaves (cgroup v2, then v1). A cgroup version whose files
     * are not there is skipped; one whose files are there but cannot be read is said as a problem,
     * not taken for "no limit".
     */
    public static Container container() {
        return container(List.of(List.of(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory.current")),
                List.of(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                        Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes"))));
    }

    static Container container(List<List<Path>> versions) {
        for (List<Path> pair : versions) {
            try {
                String max = Files.readString(pair.get(0)).trim();
                if (max.equals("max")) {
                    continue;
                }
                long limit = Long.parseLong(max);
                long used = Long.parseLong(Files.readString(pair.get(1)).trim());
                if (limit > (1L << 50)) {
                    continue; // v1 reports "no limit" as a huge number
                }
                return new Container(Math.max(0, limit - used), null);
            } catch (NoSuchFileException notThisVersion) {
                // the other cgroup version, or none
            } catch (IOException | RuntimeException e) {
                return new Container(-1, "the container's memory limit (" + pair.get(0) + ") could not be read: "
                        + e.getMessage());
            }
        }
        return new Container(-1, null);
    }
}
