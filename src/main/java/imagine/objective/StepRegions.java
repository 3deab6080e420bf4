package imagine.objective;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The target masks aligned with one step's augmented pixels, (1, 1, H, W) each.
 *
 * @param target all targets together
 * @param instances one mask per target instance
 * @param outputBackground whether any pixel lies outside every target
 * @param smoothBackground whether the output has a background but the reference has none to imitate
 */
public record StepRegions(NDArray target, List<NDArray> instances, boolean outputBackground, boolean smoothBackground) {}
