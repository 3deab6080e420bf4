package imagine.core;

import imagine.model.Features;
import ai.djl.ndarray.NDArray;

/**
 * What a loss term sees in one image update: the view the classifier saw (N, 3, H, W) in [0, 1],
 * the output frame of the pixels (not augmented), the view's backbone features, the class logits of that view and of the step's robust views (the
 * first rows are the view's own), the position in the run, and the target regions aligned with the
 * view (null without controls). Arrays belong to the iteration's manager.
 */
public record Step(NDArray image, NDArray pixels, Features features, NDArray classLogits, int iteration,
        int totalIterations, StepRegions regions) {

    /** A step without controls whose view and frame are the pixels themselves. */
    public Step(NDArray image, Features features, int iteration, int totalIterations) {
        this(image, image, features, features.logits(), iteration, totalIterations, null);
    }
}
