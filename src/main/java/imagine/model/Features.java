package imagine.model;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** One forward pass: the requested activations by tap name, and the class logits (N, classes). */
public record Features(Map<String, NDArray> taps, NDArray logits) {

    /** The first {@code n} items of the batch, for every tap and the logits. */
    public Features firstRows(long n) {
        Map<String, NDArray> t = new java.util.LinkedHashMap<>();
        taps.forEach((k, v) -> t.put(k, v.get(new ai.djl.ndarray.index.NDIndex("0:{}", n))));
        return new Features(t, logits.get(new ai.djl.ndarray.index.NDIndex("0:{}", n)));
    }

    public NDArray tap(String name) {
        NDArray a = taps.get(name);
        if (a == null) {
            throw new IllegalArgumentException("tap '" + name + "' was not requested; have " + taps.keySet());
        }
        return a;
    }
}
