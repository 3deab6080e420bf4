package imagine.model;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** One forward pass: the requested activations by tap name, and the class logits (N, classes). */
public record Features(Map<String, NDArray> taps, NDArray logits) {

    public NDArray tap(String name) {
        NDArray a = taps.get(name);
        if (a == null) {
            throw new IllegalArgumentException("tap '" + name + "' was not requested; have " + taps.keySet());
        }
        return a;
    }
}
