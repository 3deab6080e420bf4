package imagine.core;

import imagine.model.Features;
import ai.djl.ndarray.NDArray;

/**
 * What a loss term sees in one image update: the augmented batch (N, 3, H, W) in [0, 1], the
 * pixels before augmentation, the augmented batch's backbone features, the position in the run,
 * and the target regions aligned with the augmented batch (null without controls). Arrays belong
 * to the iteration's manager.
 */
public record Step(NDArray image, NDArray pixels, Features features, int iteration, int totalIterations,
        StepRegions regions) {

    /** A step without controls, whose image is the pixels themselves. */
    public Step(NDArray image, Features features, int iteration, int totalIterations) {
        this(image, image, features, iteration, totalIterations, null);
    }
}
