package imagine.toys;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.Features;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A backbone of one's own, outside the model package, as docs/development.md shows: two strided
 * 3x3 convolutions with fixed random weights (tapped as "toy1" and "toy2") and a linear head over
 * their pooled output. Not a classifier anyone would use; it shows what a backbone must provide.
 */
public final class ToyBackbone implements Backbone {

    private final NDManager manager;
    private final List<String> labels;
    private final NDArray w1;
    private final NDArray w2;
    private final NDArray head;

    ToyBackbone(long seed, List<String> labels, Device device) {
        this.manager = Engines.newManager(device);
        this.labels = List.copyOf(labels);
        manager.getEngine().setRandomSeed((int) seed);
        this.w1 = manager.randomNormal(0, 0.3f, new Shape(8, 3, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
        this.w2 = manager.randomNormal(0, 0.1f, new Shape(16, 8, 3, 3), ai.djl.ndarray.types.DataType.FLOAT32);
        this.head = manager.randomNormal(0, 0.1f, new Shape(labels.size(), 16), ai.djl.ndarray.types.DataType.FLOAT32);
    }

    @Override
    public String id() {
        return ToyBackboneFactory.ID;
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
        return 64;
    }

    @Override
    public List<String> tapNames() {
        return List.of("toy1", "toy2");
    }

    @Override
    public List<String> defaultTaps() {
        return List.of("toy1", "toy2");
    }

    @Override
    public int tapStride(String tap) {
        return switch (tap) {
            case "toy1" -> 2;
            case "toy2" -> 4;
            default -> throw new imagine.UserInputException("Model toy_conv has no layer '" + tap + "'; its layers: toy1, toy2.");
        };
    }

    @Override
    public Features forward(NDArray rgb01, Set<String> taps) {
        NDArray x = rgb01.sub(0.5f);
        NDArray a1 = conv(x, w1).getNDArrayInternal().relu();
        NDArray a2 = conv(a1, w2).getNDArrayInternal().relu();
        NDArray pooled = a2.mean(new int[] {3}).mean(new int[] {2});
        Map<String, NDArray> out = new LinkedHashMap<>();
        if (taps.contains("toy1")) {
            out.put("toy1", a1);
        }
        if (taps.contains("toy2")) {
            out.put("toy2", a2);
        }
        return new Features(out, pooled.matMul(head.transpose()));
    }

    private static NDArray conv(NDArray x, NDArray w) {
        NDList y = Conv2d.conv2d(x, w, null, new Shape(2, 2), new Shape(1, 1), new Shape(1, 1), 1);
        return y.singletonOrThrow();
    }

    @Override
    public void close() {
        manager.close();
    }
}
