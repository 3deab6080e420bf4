package imagine.core;

import imagine.image.RgbImage;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns measured steps into {@link Progress} reports (with elapsed time and an estimate of what is
 * left) and previews for a {@link ProgressListener}. A note prefixes the stage's name, so a retry
 * of lost samples reads as one ("retry of 1 lost sample(s), fine 224x224").
 */
final class ProgressReporter implements SynthesisListener {

    private final ProgressListener listener;
    private final String note;
    private long startNanos = System.nanoTime();
    private Map<String, Double> lastLosses = Map.of();

    ProgressReporter(ProgressListener listener, String note) {
        this.listener = listener;
        this.note = note;
    }

    /** Elapsed time and the estimate count from here. */
    void start(long nanos) {
        startNanos = nanos;
    }

    @Override
    public void onStep(StepReport r, Supplier<List<RgbImage>> samples) {
        if (!r.measured()) {
            return;
        }
        lastLosses = r.losses();
        long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
        long eta = elapsed * (r.totalIterations() - r.done()) / r.done();
        Progress p = new Progress(r.done(), r.totalIterations(), note + r.stage().name(), r.losses(), r.total(), elapsed,
                eta);
        listener.onProgress(p);
        if (listener.wantsPreview(p)) {
            listener.onPreview(samples.get());
        }
    }

    /** The losses of the last report (the sidecar's final_losses). */
    Map<String, Double> lastLosses() {
        return lastLosses;
    }
}
