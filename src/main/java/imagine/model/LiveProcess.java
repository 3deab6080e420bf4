package imagine.model;

/**
 * A process on this machine as files left behind name it, by pid and start time: the start time
 * tells the process that wrote the file from a later one that got the same pid.
 */
public final class LiveProcess {

    private LiveProcess() {}

    /** When {@code p} started, in epoch milliseconds; 0 where the system does not say. */
    public static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Whether process {@code pid}, started at {@code startMillis}, still runs. A start of 0 (not
     * known when recorded), or one the system does not report now, is not compared.
     */
    public static boolean alive(long pid, long startMillis) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> startMillis == 0 || h.info().startInstant().map(java.time.Instant::toEpochMilli)
                        .orElse(startMillis) == startMillis)
                .isPresent();
    }
}
