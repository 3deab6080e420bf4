package imagine.cli;

import imagine.core.CancellationToken;
import java.util.concurrent.CountDownLatch;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a command runs: the JVM's shutdown hook cancels the run and
 * then waits until the command has written what exists AND released its native memory (closed by
 * then). Without the wait, the JVM would exit, and run libtorch's static destructors, while a
 * backward pass still used them: a SIGSEGV in oneDNN (the crash log once committed here). The
 * command closes this guard last, after the model.
 */
final class ShutdownGuard implements AutoCloseable {

    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread hook;

    private ShutdownGuard(CancellationToken cancel) {
        hook = new Thread(() -> {
            cancel.cancel();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "IMAGINE shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static ShutdownGuard install(CancellationToken cancel) {
        return new ShutdownGuard(cancel);
    }

    @Override
    public void close() {
        released.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting because of a signal: the hook is running and now returns
        }
    }
}
