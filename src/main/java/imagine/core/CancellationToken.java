package imagine.core;

import java.util.concurrent.atomic.AtomicBoolean;

/** Asks a running synthesis to stop; the engine checks it before every iteration. */
public final class CancellationToken {

    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
