package imagine.core;

import ai.djl.Device;
import imagine.UserInputException;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * What the machine can give a run now: the memory the process may still add (the machine's
 * available memory, a container's limit, the user's cap; free GPU memory on CUDA) and what the JVM
 * heap may still grow by.
 */
public interface MemoryBudget {

    /** Environment variable (upper case, IMAGINE_MEMORY_LIMIT) or system property capping the memory this process may use, e.g. "4g". */
    String LIMIT = "imagine.memory.limit";

    /** Bytes the process may still add to its resident (or GPU) memory. */
    long freeBytes();

    /** Bytes the JVM heap may still grow by. */
    long freeHeapBytes();

    /** Where the free memory was read, for the message. */
    String source();

    /** The budget of {@code device} now: GPU memory on CUDA, else this machine's memory. */
    static MemoryBudget of(Device device) {
        Long cap = cap();
        if (device.isGpu()) {
            MemoryUsage u = ai.djl.util.cuda.CudaUtils.getGpuMemory(device);
            long free = u.getMax() - u.getCommitted();
            return fixed(cap == null ? free : Math.min(free, cap), heapFree(), "GPU " + device.getDeviceId());
        }
        long free = Long.MAX_VALUE;
        String source = "this machine";
        long avail = ProcessMemory.meminfo("MemAvailable:");
        if (avail >= 0) {
            free = avail;
        }
        ProcessMemory.Container container = ProcessMemory.container();
        if (container.freeBytes() >= 0 && container.freeBytes() < free) {
            free = container.freeBytes();
            source = "this container";
        } else if (container.problem() != null) {
            source += " (" + container.problem() + ")";
        }
        if (cap != null) {
            long left = Math.max(0, cap - ProcessMemory.residentBytes());
            if (left < free) {
                free = left;
                source = "the limit " + capName() + "=" + capText();
            }
        }
        return fixed(free == Long.MAX_VALUE ? Runtime.getRuntime().maxMemory() : free, heapFree(), source);
    }

    /** A budget with fixed numbers (tests, and a fake small limit). */
    static MemoryBudget fixed(long free, long heap, String source) {
        return new MemoryBudget() {
            @Override
            public long freeBytes() {
                return free;
            }

            @Override
            public long freeHeapBytes() {
                return heap;
            }

            @Override
            public String source() {
                return source;
            }
        };
    }

    private static long heapFree() {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - (r.totalMemory() - r.freeMemory());
    }

    /** Where the cap is set: the system property wins over the environment. */
    private static String capName() {
        String v = System.getProperty(LIMIT);
        return v != null && !v.isBlank() ? LIMIT : "IMAGINE_MEMORY_LIMIT";
    }

    private static String capText() {
        String v = System.getProperty(LIMIT);
        return v != null && !v.isBlank() ? v : System.getenv("IMAGINE_MEMORY_LIMIT");
    }

    /** The user's cap, from the system property or IMAGINE_MEMORY_LIMIT ("4g", "512m", or bytes); null when none is set. */
    static Long cap() {
        String v = capText();
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return parseSize(v.trim());
        } catch (UserInputException e) {
            throw new UserInputException(capName() + " must be a positive size such as 4g or 512m, got '" + v + "'.");
        }
    }

    static long parseSize(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long unit = 1;
        char last = s.charAt(s.length() - 1);
        if (last == 'k' || last == 'm' || last == 'g' || last == 't') {
            unit = switch (last) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1L << 40;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            double d = Double.parseDouble(s) * unit;
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new NumberFormatException("not a positive size");
            }
            return (long) d;
        } catch (NumberFormatException e) {
            throw new UserInputException(LIMIT + " must be a size such as 4g or 512m, got '" + v + "'.");
        }
    }
}
