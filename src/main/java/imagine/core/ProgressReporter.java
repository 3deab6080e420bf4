package imagine.core;

import java.util.List;
import java.util.function.Supplier;

/** Turns measured steps into {@link Progress} reports (with elapsed time and an estimate of what is left) and previews. */
final class ProgressReporter implements SynthesisListener {

    private final ProgressListener listener;
    private final long startNanos;
    private java.util.Map<String, Double> lastLosses = java.util.Map.of();

    ProgressReporter(ProgressListener listener, long startNanos) {
        this.listener = listener;
        this.startNanos = startNanos;
    }

    @Override
    public void onStep(StepReport r, Supplier<List<RgbImage>> samples) {
        if (!r.measured()) {
            return;
        }
        lastLosses = r.losses();
        long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
        long eta = elapsed * (r.totalIterations() - r.done()) / r.done();
        Progress p = new Progress(r.done(), r.totalIterations(), r.stage().name(), r.losses(), r.total(), elapsed, eta);
        listener.onProgress(p);
        if (listener.wantsPreview(p)) {
            listener.onPreview(samples.get());
        }
    }

    /** The losses of the last report (the sidecar's final_losses). */
    java.util.Map<String, Double> lastLosses() {
        return lastLosses;
    }
}
