package imagine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;
import java.util.Set;

/**
 * A frozen, differentiable image classifier whose intermediate activations can be read by name.
 * Inputs are RGB images in [0, 1], NCHW; each backbone applies its own input scaling, so the
 * engine never needs to know how a model was trained.
 */
public interface Backbone extends AutoCloseable {

    /** The catalog id, for example {@code mobilenet_v1_0.75_224}. */
    String id();

    /** The device the weights live on; inputs must be there too. */
    ai.djl.Device device();

    /** Class labels, index = logit index. */
    List<String> labels();

    /** The square input size the model was trained at (it accepts other sizes). */
    int nativeSize();

    /** Names that {@link #forward} accepts as taps, in network order. */
    List<String> tapNames();

    /** About four taps from early to late layers, as the method's feature matching wants. */
    List<String> defaultTaps();

    /** The spatial stride of a tap relative to the input (2, 4, 8, ...). */
    int tapStride(String tap);

    /**
     * Runs the network. The returned arrays belong to the manager of {@code rgb01}.
     *
     * @param rgb01 images, shape (N, 3, H, W), values in [0, 1]
     * @param taps the activations to keep, by name; unknown names are an error
     */
    Features forward(NDArray rgb01, Set<String> taps);

    /**
     * Class probabilities of each image of {@code rgb01} (softmax of the logits), copied to the
     * host; the forward pass's arrays are freed at once.
     */
    default ClassProbabilities probabilities(NDArray rgb01) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray logits = forward(rgb01, Set.of()).logits();
            return new ClassProbabilities(logits.softmax(1).toFloatArray(), (int) logits.getShape().get(1));
        }
    }

    /**
     * The tap that the classifier head averages over space, when the head is a global average
     * pooling followed by location-independent layers (MobileNet, ResNet). Empty otherwise.
     */
    default java.util.Optional<String> evidenceTap() {
        return java.util.Optional.empty();
    }

    /**
     * The class logits at every location of the {@link #evidenceTap} activation, shape (N,
     * classes, h, w): a class activation map. Its spatial mean equals the logits, because the head
     * is linear after the pooling; it says where in the image the evidence for a class is.
     */
    default NDArray evidenceMap(NDArray evidenceActivation) {
        throw new UnsupportedOperationException("Model " + id() + " has no spatial class evidence.");
    }

    @Override
    void close();
}
