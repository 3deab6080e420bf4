package imagine.core;

import imagine.image.RgbImage;
import imagine.model.CoreShare;
import imagine.model.Engines;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keeps a synthesis that was given all cores at its share of them while other syntheses run on
 * the machine ({@link CoreShare}), looking again at most once a second; the step loop's thread is
 * the one whose libtorch threads it sets.
 */
final class CoreShareListener implements SynthesisListener {

    private static final long EVERY_NANOS = 1_000_000_000L;

    private final CoreShare share;
    private long lastLook;
    private int threads;

    /** Made on the step loop's thread. */
    CoreShareListener(CoreShare share) {
        this.share = share;
        this.threads = Engines.threads();
        look(System.nanoTime());
    }

    @Override
    public void onStep(StepReport report, Supplier<List<RgbImage>> samples) {
        long now = System.nanoTime();
        if (now - lastLook >= EVERY_NANOS) {
            look(now);
        }
    }

    private void look(long now) {
        lastLook = now;
        int n = share.threads();
        if (n != threads) {
            Engines.setThreads(n);
            threads = n;
        }
    }
}
