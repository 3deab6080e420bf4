package imagine.core;

import imagine.image.RgbImage;
import imagine.objective.Stage;
import java.util.List;
import java.util.function.Supplier;

/**
 * Observes a run from inside the optimization loop, as DJL's {@code TrainingListener}s observe a
 * trainer: timing, progress and divergence checks are listeners, so the loop itself only steps.
 * Called on the engine's thread; return quickly.
 */
public interface SynthesisListener {

    default void onStageStart(Stage stage) {}

    /**
     * Inside each step, once the objective is evaluated and before its gradient is taken: the whole
     * step's graph exists (for profilers, and for tests that force a garbage collection there).
     */
    default void beforeBackward(int iteration) {}

    /**
     * After every image update. {@code samples} copies the current pixels to the host when asked
     * (a live preview); do not call it on every step.
     */
    default void onStep(StepReport report, Supplier<List<RgbImage>> samples) {}

    default void onStageEnd(Stage stage) {}
}
