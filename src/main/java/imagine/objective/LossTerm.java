package imagine.objective;

import ai.djl.ndarray.NDArray;
import java.util.Map;
import java.util.Set;

/**
 * One term of the objective, as a composable object in the manner of Lucid's objectives: it maps
 * the step's activations to a scalar. Weights are applied by {@link Objective}. A term has a
 * lifecycle around the loop: {@link #prepare} at each stage, {@link #loss} at each step,
 * {@link #afterUpdate} once the pixels have moved (a term with a model of its own, such as the
 * patch discriminator, trains there), {@link #close} at the end.
 */
public interface LossTerm extends AutoCloseable {

    /** Short stable name, used in progress lines and the JSON sidecar. */
    String name();

    /** Backbone taps this term reads. */
    default Set<String> taps() {
        return Set.of();
    }

    /** Called at the start of every stage with the reference at that stage's scale. */
    default void prepare(Reference reference) {}

    /** The unweighted scalar loss, or null when the term is inactive at this step. */
    NDArray loss(Step step);

    /**
     * Called after every pixel update with the new pixels (N, 3, H, W), recorded for gradients;
     * detach before using them. {@code iteration} is the one just done.
     */
    default void afterUpdate(NDArray pixels, int iteration, Stage stage) {}

    /** Extra numbers for progress lines (for example the discriminator's own loss); none by default. */
    default Map<String, Double> diagnostics() {
        return Map.of();
    }

    /** Updates of the term's own state skipped because of non-finite values. */
    default int skippedUpdates() {
        return 0;
    }

    /** Frees what the term holds; nothing by default. */
    @Override
    default void close() {}
}
