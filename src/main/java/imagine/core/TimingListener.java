package imagine.core;

import imagine.image.RgbImage;
import java.util.List;
import java.util.function.Supplier;

/** Adds up the steps' phase times and counts the skipped steps. */
final class TimingListener implements SynthesisListener {

    private long forward;
    private long objective;
    private long backward;
    private long update;
    private long termUpdates;
    private int skipped;

    @Override
    public void onStep(StepReport r, Supplier<List<RgbImage>> samples) {
        StepReport.Phases p = r.nanos();
        forward += p.forward();
        objective += p.objective();
        backward += p.backward();
        update += p.update();
        termUpdates += p.termUpdates();
        if (!r.taken()) {
            skipped++;
        }
    }

    /** The totals so far, with the run's wall time and the terms' own skipped updates. */
    Timings timings(long totalNanos, int termSkips) {
        long ms = 1_000_000;
        return new Timings(forward / ms, objective / ms, backward / ms, update / ms, termUpdates / ms, totalNanos / ms,
                skipped + termSkips, 0, 0);
    }
}
