package imagine.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A backbone built from a Keras layer graph (read from a TensorFlow.js layers model). Every layer
 * name is a tap. Batch norms that directly follow a convolution are folded into it at load time
 * (fewer ops per pass; a tap on such a convolution therefore reads the normalized output).
 */
public final class KerasGraph extends AbstractBackbone {

    private record Node(String name, GraphOp op, List<String> inputs) {}

    private final List<Node> nodes;
    private final Map<String, String> alias;
    private final String output;
    private final String input;
    private final NDArray inputMean;
    private final NDArray inputStd;
    private final String evidenceTap;
    private final List<Node> head;

    private KerasGraph(String id, List<String> labels, int nativeSize, List<String> defaultTaps, NDManager manager,
            List<Node> nodes, Map<String, String> alias, Map<String, Integer> strides, String input, String output,
            InputSpec spec) {
        super(id, labels, nativeSize, defaultTaps, manager, strides);
        this.nodes = nodes;
        this.alias = alias;
        this.output = resolve(output);
        this.input = input;
        this.inputMean = manager.create(spec.mean(), new Shape(1, 3, 1, 1));
        this.inputStd = manager.create(spec.std(), new Shape(1, 3, 1, 1));
        checkDefaultTaps();
        // Class activation maps need a head of pooling + per-location layers; find it once.
        String tap = null;
        List<Node> h = new ArrayList<>();
        for (Node n : nodes) {
            if (n.op() instanceof GraphOp.GlobalAveragePool) {
                tap = n.inputs().get(0);
                h.clear();
            } else if (tap != null) {
                h.add(n);
            }
        }
        boolean linear = tap != null && h.stream().allMatch(n -> n.inputs().size() == 1 && perLocation(n.op()));
        this.evidenceTap = linear && strides.containsKey(tap) ? tap : null;
        this.head = linear ? List.copyOf(h) : List.of();
    }

    /** Adds one Keras layer to a build and returns the stride of its output. */
    @FunctionalInterface
    private interface LayerBuilder {
        int add(Build b, TfjsModel.Layer l, List<String> inputs, int inStride);
    }

    /** The Keras layer classes this loader reads; any other class is rejected by name. */
    private static final Map<String, LayerBuilder> LAYERS = Map.ofEntries(
            Map.entry("InputLayer", Build::inputLayer),
            Map.entry("BatchNormalization", Build::batchNorm),
            Map.entry("Conv2D", Build::conv),
            Map.entry("DepthwiseConv2D", Build::conv),
            Map.entry("Activation", op(l -> activation(l.name(), l.config().get("activation").getAsString()))),
            Map.entry("ReLU", op(KerasGraph::relu)),
            Map.entry("GlobalAveragePooling2D", op(l -> new GraphOp.GlobalAveragePool())),
            Map.entry("Reshape", op(l -> new GraphOp.Reshape(l.config().getAsJsonArray("target_shape").size()))),
            Map.entry("Dropout", op(l -> new GraphOp.Identity())), // the identity at inference
            Map.entry("Add", op(l -> new GraphOp.Add())),
            Map.entry("ZeroPadding2D", op(KerasGraph::zeroPad)));

    /** Builds the graph on {@code device}; weights are materialized there once, contiguous, in OIHW. */
    public static KerasGraph build(String id, TfjsModel model, List<String> labels, int nativeSize,
            List<String> defaultTaps, InputSpec spec, Device device) {
        NDManager manager = Engines.newManager(device);
        try {
            Build b = new Build(model, manager);
            for (TfjsModel.Layer l : model.layers()) {
                b.add(l);
            }
            if (b.input == null) {
                throw new ModelException(model.folder() + "/model.json has no InputLayer.");
            }
            return new KerasGraph(id, labels, nativeSize, defaultTaps, manager, b.nodes, b.alias, b.strides, b.input,
                    model.outputLayer(), spec);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A layer that is one op on its inputs and keeps their stride. */
    private static LayerBuilder op(Function<TfjsModel.Layer, GraphOp> op) {
        return (b, l, inputs, inStride) -> {
            b.nodes.add(new Node(l.name(), op.apply(l), inputs));
            return inStride;
        };
    }

    private static GraphOp relu(TfjsModel.Layer l) {
        var max = l.config().get("max_value");
        return new GraphOp.Activation(max != null && !max.isJsonNull() && max.getAsFloat() == 6f ? "relu6" : "relu");
    }

    private static GraphOp zeroPad(TfjsModel.Layer l) {
        var p = l.config().getAsJsonArray("padding");
        var ph = p.get(0).getAsJsonArray();
        var pw = p.get(1).getAsJsonArray();
        return new GraphOp.ZeroPad(ph.get(0).getAsLong(), ph.get(1).getAsLong(), pw.get(0).getAsLong(),
                pw.get(1).getAsLong());
    }

    /** The mutable state of one build; layers are added in model order. */
    private static final class Build {
        private final TfjsModel model;
        private final NDManager manager;
        private final Map<String, Integer> consumers = new HashMap<>();
        private final Map<String, String> alias = new HashMap<>();
        private final Map<String, Integer> strides = new LinkedHashMap<>();
        private final Map<String, Tensor[]> pendingConv = new HashMap<>(); // weight, bias (host) until BN seen
        private final Map<String, Node> convNodes = new HashMap<>();
        private final List<Node> nodes = new ArrayList<>();
        private String input;

        Build(TfjsModel model, NDManager manager) {
            this.model = model;
            this.manager = manager;
            // A batch norm may only fold into a convolution that nothing else reads.
            for (TfjsModel.Layer l : model.layers()) {
                for (String in : l.inputs()) {
                    consumers.merge(in, 1, Integer::sum);
                }
            }
        }

        void add(TfjsModel.Layer l) {
            List<String> inputs = new ArrayList<>();
            for (String in : l.inputs()) {
                inputs.add(alias.getOrDefault(in, in));
            }
            int inStride = inputs.isEmpty() ? 1 : strides.getOrDefault(inputs.get(0), 1);
            LayerBuilder builder = LAYERS.get(l.className());
            if (builder == null) {
                throw new ModelException("Layer '" + l.name() + "' is of type " + l.className()
                        + ", which this loader does not support.");
            }
            strides.put(l.name(), builder.add(this, l, inputs, inStride));
        }

        int inputLayer(TfjsModel.Layer l, List<String> inputs, int inStride) {
            input = l.name();
            return 1;
        }

        int batchNorm(TfjsModel.Layer l, List<String> inputs, int inStride) {
            String src = inputs.get(0);
            Tensor[] conv = pendingConv.get(src);
            float eps = l.config().get("epsilon").getAsFloat();
            float[][] ss = bnScaleShift(model, l.name(), eps);
            if (conv != null && consumers.getOrDefault(src, 0) == 1) {
                fold(src, conv, ss);
                // Taps and inputs naming the batch norm read the folded convolution.
                alias.put(l.name(), src);
                pendingConv.remove(src);
                return inStride;
            }
            nodes.add(new Node(l.name(), new GraphOp.Scale(
                    manager.create(ss[0], new Shape(1, ss[0].length, 1, 1)),
                    manager.create(ss[1], new Shape(1, ss[1].length, 1, 1))), inputs));
            return inStride;
        }

        /** Replaces the node of convolution {@code src} by one whose weights carry the scale and shift. */
        private void fold(String src, Tensor[] conv, float[][] ss) {
            Node old = convNodes.get(src);
            GraphOp.Conv c = (GraphOp.Conv) old.op();
            Tensor w = conv[0];
            float[] wd = w.data().clone();
            int perOut = wd.length / ss[0].length;
            float[] bias = new float[ss[0].length];
            for (int o = 0; o < ss[0].length; o++) {
                for (int j = 0; j < perOut; j++) {
                    wd[o * perOut + j] *= ss[0][o];
                }
                float b0 = conv[1] == null ? 0 : conv[1].data()[o];
                bias[o] = b0 * ss[0][o] + ss[1][o];
            }
            c.weight().close();
            if (c.bias() != null) {
                c.bias().close();
            }
            GraphOp.Conv folded = new GraphOp.Conv(manager.create(wd, new Shape(w.shape())), manager.create(bias),
                    c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.samePadding(), c.groups());
            nodes.set(nodes.indexOf(old), new Node(old.name(), folded, old.inputs()));
        }

        int conv(TfjsModel.Layer l, List<String> inputs, int inStride) {
            boolean depthwise = l.className().equals("DepthwiseConv2D");
            Tensor k = model.weight(l.name() + (depthwise ? "/depthwise_kernel" : "/kernel"));
            if (depthwise && k.dim(3) != 1) {
                throw new ModelException(l.name() + ": depth multiplier " + k.dim(3) + " is not supported.");
            }
            // HWIO -> OIHW; depthwise [kh,kw,C,1] -> [C,1,kh,kw] with groups = C.
            Tensor oihw = depthwise ? k.permute(2, 3, 0, 1) : k.permute(3, 2, 0, 1);
            boolean useBias = !l.config().has("use_bias") || l.config().get("use_bias").getAsBoolean();
            Tensor bias = useBias ? model.weight(l.name() + "/bias") : null;
            var strideArr = l.config().getAsJsonArray("strides");
            checkConvOptions(l);
            GraphOp.Conv conv = new GraphOp.Conv(manager.create(oihw.data(), new Shape(oihw.shape())),
                    bias == null ? null : manager.create(bias.data()), k.dim(0), k.dim(1),
                    strideArr.get(0).getAsInt(), strideArr.get(1).getAsInt(),
                    l.config().get("padding").getAsString().equals("same"), depthwise ? k.dim(2) : 1);
            Node node = new Node(l.name(), conv, inputs);
            nodes.add(node);
            convNodes.put(l.name(), node);
            // Kept on the host so that a following batch norm can fold into them.
            pendingConv.put(l.name(), new Tensor[] {oihw, bias});
            return inStride * conv.strideH();
        }

        private static void checkConvOptions(TfjsModel.Layer l) {
            var dil = l.config().getAsJsonArray("dilation_rate");
            if (dil != null && (dil.get(0).getAsInt() != 1 || dil.get(1).getAsInt() != 1)) {
                throw new ModelException(l.name() + ": dilated convolutions are not supported.");
            }
            String activation = l.config().has("activation") ? l.config().get("activation").getAsString() : "linear";
            if (!activation.equals("linear")) {
                throw new ModelException(l.name() + ": fused activation '" + activation + "' is not supported.");
            }
        }
    }

    /** Whether an op after the pooling acts the same at every location (so it can run before pooling). */
    private static boolean perLocation(GraphOp op) {
        if (op instanceof GraphOp.Reshape || op instanceof GraphOp.Identity) {
            return true;
        }
        if (op instanceof GraphOp.Activation a) {
            return a.kind().equals("linear") || a.kind().equals("softmax");
        }
        return op instanceof GraphOp.Conv c && c.kernelH() == 1 && c.kernelW() == 1 && c.strideH() == 1
                && c.strideW() == 1 && c.groups() == 1;
    }

    private static GraphOp activation(String layer, String kind) {
        return switch (kind) {
            case "relu", "relu6", "linear", "softmax" -> new GraphOp.Activation(kind);
            default -> throw new ModelException("Layer '" + layer + "' uses the activation '" + kind
                    + "', which this loader does not support.");
        };
    }

    /** Inference batch norm as y = x * scale + shift. */
    private static float[][] bnScaleShift(TfjsModel model, String name, float eps) {
        float[] mean = model.weight(name + "/moving_mean").data();
        float[] var = model.weight(name + "/moving_variance").data();
        int c = mean.length;
        float[] gamma = model.weights().containsKey(name + "/gamma") ? model.weight(name + "/gamma").data() : ones(c);
        float[] beta = model.weights().containsKey(name + "/beta") ? model.weight(name + "/beta").data() : new float[c];
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int i = 0; i < c; i++) {
            scale[i] = (float) (gamma[i] / Math.sqrt(var[i] + eps));
            shift[i] = beta[i] - mean[i] * scale[i];
        }
        return new float[][] {scale, shift};
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    private String resolve(String name) {
        return alias.getOrDefault(name, name);
    }

    @Override
    public Features forward(NDArray rgb01, Set<String> taps) {
        checkTaps(taps);
        Map<String, NDArray> values = new HashMap<>();
        values.put(input, rgb01.sub(inputMean).div(inputStd));
        List<NDArray> args = new ArrayList<>(2);
        for (Node n : nodes) {
            args.clear();
            for (String in : n.inputs()) {
                args.add(values.get(in));
            }
            values.put(n.name(), n.op().apply(args));
        }
        Map<String, NDArray> tapped = new LinkedHashMap<>();
        for (String t : taps) {
            tapped.put(t, values.get(resolve(t)));
        }
        NDArray logits = values.get(output);
        if (logits.getShape().dimension() != 2) {
            logits = logits.reshape(logits.getShape().get(0), -1);
        }
        return new Features(tapped, logits);
    }

    @Override
    public java.util.Optional<String> evidenceTap() {
        return java.util.Optional.ofNullable(evidenceTap);
    }

    @Override
    public NDArray evidenceMap(NDArray activation) {
        if (evidenceTap == null) {
            throw new UnsupportedOperationException("Model " + id() + " has no spatial class evidence.");
        }
        NDArray x = activation;
        for (Node n : head) {
            // Reshape and identity only flatten the pooled vector; the 1x1 convolution applies per location.
            if (n.op() instanceof GraphOp.Conv c) {
                x = c.apply(List.of(x));
            }
        }
        return x;
    }

}
