package imagine.core;

import imagine.model.Features;
import ai.djl.ndarray.NDArray;

/**
 * What a loss term sees in one image update: the augmented batch (N, 3, H, W) in [0, 1], its
 * backbone features, and the position in the run. Arrays belong to the iteration's manager.
 */
public record Step(NDArray image, Features features, int iteration, int totalIterations) {}
