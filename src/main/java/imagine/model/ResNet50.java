package imagine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ResNet-50 (torchvision's v1.5: stride on the 3x3 convolution) defined here, weights by
 * torchvision/timm names from a safetensors file ({@code conv1.weight}, {@code bn1.*},
 * {@code layerK.i.convJ.weight}, {@code layerK.i.downsample.0/1.*}, {@code fc.*}). Batch norm
 * (eps 1e-5) is folded into the preceding convolution at load time. Taps: {@code stem} (after
 * conv1, bn, relu; stride 2), every block output {@code layerK.i}, and {@code layerK} for the
 * last block of stage K (strides 4, 8, 16, 32).
 */
public final class ResNet50 extends AbstractBackbone {

    static final int[] BLOCKS = {3, 4, 6, 3};
    static final float BN_EPS = 1e-5f;

    /** A convolution with folded batch norm. */
    private record Conv(NDArray w, NDArray b, int stride, int pad) {
        NDArray apply(NDArray x) {
            return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                    .singletonOrThrow();
        }
    }

    private record Block(String name, Conv c1, Conv c2, Conv c3, Conv down) {}

    private final Conv stem;
    private final List<Block> blocks = new ArrayList<>();
    private final NDArray fcWeight;
    private final NDArray fcWeight1x1;
    private final NDArray fcBias;
    private final NDArray mean;
    private final NDArray std;

    private ResNet50(String id, Map<String, Tensor> w, List<String> labels, List<String> defaultTaps, InputSpec spec,
            Device device) {
        super(id, labels, 224, defaultTaps, Engines.newManager(device), new LinkedHashMap<>());
        this.stem = conv(w, "conv1", "bn1", 2, 3);
        strides.put("stem", 2);
        int stride = 4;
        for (int k = 0; k < 4; k++) {
            for (int i = 0; i < BLOCKS[k]; i++) {
                String p = "layer" + (k + 1) + "." + i;
                int s = (i == 0 && k > 0) ? 2 : 1;
                Conv down = i == 0 ? conv(w, p + ".downsample.0", p + ".downsample.1", s, 0) : null;
                blocks.add(new Block(p, conv(w, p + ".conv1", p + ".bn1", 1, 0), conv(w, p + ".conv2", p + ".bn2", s, 1),
                        conv(w, p + ".conv3", p + ".bn3", 1, 0), down));
                strides.put(p, stride);
            }
            strides.put("layer" + (k + 1), stride);
            stride *= 2;
        }
        Tensor fw = need(w, "fc.weight");
        Tensor fb = need(w, "fc.bias");
        if (fw.rank() != 2 || fw.dim(1) != 2048 || fb.dim(0) != fw.dim(0)) {
            throw new ModelException("Model " + id + ": fc.weight has the shape " + java.util.Arrays.toString(fw.shape())
                    + ", expected [classes, 2048].");
        }
        fcWeight = manager.create(fw.data(), new Shape(fw.shape()));
        fcWeight1x1 = fcWeight.reshape(fw.dim(0), 2048, 1, 1);
        fcBias = manager.create(fb.data(), new Shape(fb.shape()));
        mean = manager.create(spec.mean(), new Shape(1, 3, 1, 1));
        std = manager.create(spec.std(), new Shape(1, 3, 1, 1));
        checkDefaultTaps();
    }

    /** Builds the network from torchvision-named tensors; every missing or misshapen tensor is named. */
    public static ResNet50 build(String id, Map<String, Tensor> weights, List<String> labels, List<String> defaultTaps,
            InputSpec spec, Device device) {
        return new ResNet50(id, weights, labels, defaultTaps, spec, device);
    }

    private Conv conv(Map<String, Tensor> w, String conv, String bn, int stride, int pad) {
        Tensor k = need(w, conv + ".weight");
        if (k.rank() != 4) {
            throw new ModelException("Model " + id() + ": " + conv + ".weight has rank " + k.rank() + ", expected 4 (OIHW).");
        }
        int out = k.dim(0);
        float[] g = vector(w, bn + ".weight", out);
        float[] beta = vector(w, bn + ".bias", out);
        float[] mu = vector(w, bn + ".running_mean", out);
        float[] var = vector(w, bn + ".running_var", out);
        float[] kw = k.data().clone();
        float[] bias = new float[out];
        int per = kw.length / out;
        for (int o = 0; o < out; o++) {
            float s = g[o] / (float) Math.sqrt(var[o] + BN_EPS);
            for (int j = 0; j < per; j++) {
                kw[o * per + j] *= s;
            }
            bias[o] = beta[o] - mu[o] * s;
        }
        return new Conv(manager.create(kw, new Shape(k.shape())), manager.create(bias), stride, pad);
    }

    private Tensor need(Map<String, Tensor> w, String name) {
        Tensor t = w.get(name);
        if (t == null) {
            throw new ModelException("Model " + id() + " lacks the tensor '" + name + "' (torchvision/timm ResNet-50 names "
                    + "expected). Replace model.safetensors with a complete ResNet-50 copy.");
        }
        return t;
    }

    private float[] vector(Map<String, Tensor> w, String name, int n) {
        Tensor t = need(w, name);
        if (t.data().length != n) {
            throw new ModelException("Model " + id() + ": '" + name + "' has " + t.data().length + " values, expected " + n + ".");
        }
        return t.data();
    }

    @Override
    public Features forward(NDArray rgb01, Set<String> taps) {
        checkTaps(taps);
        Map<String, NDArray> tapped = new LinkedHashMap<>();
        NDArray x = ai.djl.nn.Activation.relu(stem.apply(rgb01.sub(mean).div(std)));
        keep(tapped, taps, "stem", x);
        x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
        for (int bi = 0; bi < blocks.size(); bi++) {
            Block b = blocks.get(bi);
            NDArray y = ai.djl.nn.Activation.relu(b.c1().apply(x));
            y = ai.djl.nn.Activation.relu(b.c2().apply(y));
            y = b.c3().apply(y);
            NDArray shortcut = b.down() == null ? x : b.down().apply(x);
            x = ai.djl.nn.Activation.relu(y.add(shortcut));
            keep(tapped, taps, b.name(), x);
            String stage = b.name().substring(0, b.name().indexOf('.'));
            if (bi + 1 == blocks.size() || !blocks.get(bi + 1).name().startsWith(stage + ".")) {
                keep(tapped, taps, stage, x);
            }
        }
        Shape s = x.getShape();
        NDArray pooled = x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        NDArray logits = pooled.matMul(fcWeight.transpose()).add(fcBias);
        return new Features(tapped, logits);
    }

    private static void keep(Map<String, NDArray> into, Set<String> taps, String name, NDArray x) {
        if (taps.contains(name)) {
            into.put(name, x);
        }
    }

    @Override
    public java.util.Optional<String> evidenceTap() {
        return java.util.Optional.of("layer4");
    }

    /** The fc layer at every location of layer4: average pooling commutes with it. */
    @Override
    public NDArray evidenceMap(NDArray layer4) {
        return Conv2d.conv2d(layer4, fcWeight1x1, fcBias, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1)
                .singletonOrThrow();
    }

}
