package imagine.core;

import imagine.objective.Stage;
import java.util.Map;

/**
 * What one image update measured. Losses are copied to the host only on reporting iterations
 * (a device-to-host copy per term costs time): otherwise {@code losses} is null.
 *
 * @param iteration the iteration just done (0-based); {@code iteration + 1} are done
 * @param taken whether the gradient was applied: a non-finite or absurdly large one ({@link imagine.objective.GradientGuard}) is
 *     skipped
 * @param losses the weighted terms and the terms' own diagnostics, or null
 * @param total the weighted total, or NaN when losses were not read
 * @param nanos time per phase of this step
 */
public record StepReport(Stage stage, int iteration, int totalIterations, boolean taken, Map<String, Double> losses,
        double total, Phases nanos) {

    /** Nanoseconds per phase of one step. */
    public record Phases(long forward, long objective, long backward, long update, long termUpdates) {}

    public boolean measured() {
        return losses != null;
    }

    public int done() {
        return iteration + 1;
    }
}
