package imagine.core;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * One term of the objective, as a composable object in the manner of Lucid's objectives: it maps
 * the step's activations to a scalar. Weights are applied by {@link Objective}.
 */
public interface LossTerm {

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
}
