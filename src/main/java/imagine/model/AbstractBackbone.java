package imagine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import imagine.UserInputException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every backbone shares: its identity, labels, the taps it offers with their strides, and
 * the memory scope that owns its weights (closed with it).
 */
abstract class AbstractBackbone implements Backbone {

    private final String id;
    private final List<String> labels;
    private final int nativeSize;
    private final List<String> defaultTaps;
    /** Owns the weights; results of forward passes belong to their input's manager. */
    protected final NDManager manager;
    /** Tap name to stride, in network order; a subclass may fill it while it builds its layers. */
    protected final Map<String, Integer> strides;

    AbstractBackbone(String id, List<String> labels, int nativeSize, List<String> defaultTaps, NDManager manager,
            Map<String, Integer> strides) {
        this.id = id;
        this.labels = List.copyOf(labels);
        this.nativeSize = nativeSize;
        this.defaultTaps = List.copyOf(defaultTaps);
        this.manager = manager;
        this.strides = strides;
    }

    /** Fails with a message naming the model when a default tap is not one of its layers; call once built. */
    final void checkDefaultTaps() {
        for (String t : defaultTaps) {
            if (!strides.containsKey(t)) {
                throw new ModelException("Model " + id + " has no layer '" + t + "' to tap.");
            }
        }
    }

    /** Fails early, naming the known taps, when any requested tap is unknown. */
    final void checkTaps(Set<String> taps) {
        for (String t : taps) {
            tapStride(t);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Device device() {
        return manager.getDevice();
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public int nativeSize() {
        return nativeSize;
    }

    @Override
    public List<String> tapNames() {
        return List.copyOf(strides.keySet());
    }

    @Override
    public List<String> defaultTaps() {
        return defaultTaps;
    }

    @Override
    public int tapStride(String tap) {
        Integer s = strides.get(tap);
        if (s == null) {
            throw new UserInputException("Model " + id + " has no layer '" + tap + "'; it has " + strides.keySet() + ".");
        }
        return s;
    }

    @Override
    public void close() {
        manager.close();
    }
}
