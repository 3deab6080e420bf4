package imagine.core;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import imagine.model.Backbone;
import imagine.model.Features;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** A tiny smooth network (conv, tanh, conv, tanh, mean, linear) for gradient checks without weights on disk. */
final class ToyBackbone implements Backbone {

    private final NDManager manager = NDManager.newBaseManager(Device.cpu());
    private final NDArray w1;
    private final NDArray w2;
    private final NDArray fc;

    ToyBackbone(long seed) {
        Random r = new Random(seed);
        w1 = manager.create(gauss(r, 6 * 3 * 9, 0.5), new Shape(6, 3, 3, 3)).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
        w2 = manager.create(gauss(r, 8 * 6 * 9, 0.3), new Shape(8, 6, 3, 3)).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
        fc = manager.create(gauss(r, 8 * 5, 1.0), new Shape(8, 5)).toType(ai.djl.ndarray.types.DataType.FLOAT64, false);
    }

    private static float[] gauss(Random r, int n, double s) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * s);
        }
        return a;
    }

    @Override
    public String id() {
        return "toy";
    }

    @Override
    public Device device() {
        return Device.cpu();
    }

    @Override
    public List<String> labels() {
        return List.of("a", "b", "c", "d", "e");
    }

    @Override
    public int nativeSize() {
        return 16;
    }

    @Override
    public List<String> tapNames() {
        return List.of("c1", "c2");
    }

    @Override
    public List<String> defaultTaps() {
        return tapNames();
    }

    @Override
    public int tapStride(String tap) {
        return switch (tap) {
            case "c1" -> 1;
            case "c2" -> 2;
            default -> throw new IllegalArgumentException(tap);
        };
    }

    @Override
    public Features forward(NDArray x, Set<String> taps) {
        NDArray c1 = Conv2d.conv2d(x.sub(0.5f), w1, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow().tanh();
        NDArray c2 = Conv2d.conv2d(c1, w2, null, new Shape(2, 2), new Shape(1, 1)).singletonOrThrow().tanh();
        Shape s = c2.getShape();
        NDArray pooled = c2.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        Map<String, NDArray> t = new LinkedHashMap<>();
        if (taps.contains("c1")) {
            t.put("c1", c1);
        }
        if (taps.contains("c2")) {
            t.put("c2", c2);
        }
        return new Features(t, pooled.matMul(fc));
    }

    @Override
    public java.util.Optional<String> evidenceTap() {
        return java.util.Optional.of("c2");
    }

    /** The linear head applied per location: its spatial mean is the logits. */
    @Override
    public NDArray evidenceMap(NDArray c2) {
        return c2.transpose(0, 2, 3, 1).matMul(fc).transpose(0, 3, 1, 2);
    }

    @Override
    public void close() {
        manager.close();
    }
}
