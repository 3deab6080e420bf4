package imagine.objective;

import ai.djl.ndarray.NDArray;
import imagine.model.Features;

/**
 * What a loss term sees in one image update: the view the classifier saw (N, 3, H, W) in [0, 1],
 * the output frame of the pixels (not augmented), the whole canvas the views are cut from (the
 * frame plus its margin; the frame itself when there is none), the view's backbone features, the
 * class logits of that view and of the step's robust views (the first rows are the view's own), the
 * position in the run, and the target regions aligned with the view (null without controls).
 * Arrays belong to the iteration's manager.
 */
public record Step(NDArray image, NDArray frame, NDArray canvas, Features features, NDArray classLogits,
        int iteration, int totalIterations, StepRegions regions) {

    /** A step without controls whose view, frame and canvas are the pixels themselves. */
    public Step(NDArray image, Features features, int iteration, int totalIterations) {
        this(image, image, image, features, features.logits(), iteration, totalIterations, null);
    }

    /** A step whose canvas is its frame (no margin). */
    public Step(NDArray image, NDArray frame, Features features, NDArray classLogits, int iteration,
            int totalIterations, StepRegions regions) {
        this(image, frame, frame, features, classLogits, iteration, totalIterations, regions);
    }
}
