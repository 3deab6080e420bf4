package imagine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.List;

/** One node of a backbone graph in NCHW layout. Weights live on the backbone's manager. */
sealed interface GraphOp {

    NDArray apply(List<NDArray> inputs);

    /** How much this node shrinks the spatial size (1 for most nodes). */
    default int stride() {
        return 1;
    }

    /**
     * A convolution (depthwise when {@code groups} equals the channel count) with TensorFlow's
     * padding rules and an optional bias (batch norm folded in at load time).
     */
    record Conv(NDArray weight, NDArray bias, int kernelH, int kernelW, int strideH, int strideW,
            boolean samePadding, int groups) implements GraphOp {

        @Override
        public NDArray apply(List<NDArray> inputs) {
            NDArray x = inputs.get(0);
            long h = x.getShape().get(2);
            long w = x.getShape().get(3);
            long[] ph = samePadding ? samePad(h, kernelH, strideH) : new long[] {0, 0};
            long[] pw = samePadding ? samePad(w, kernelW, strideW) : new long[] {0, 0};
            Shape padding;
            if (ph[0] == ph[1] && pw[0] == pw[1]) {
                padding = new Shape(ph[0], pw[0]);
            } else {
                // TF puts the odd pixel of "same" padding at the bottom/right; convolution padding is symmetric.
                x = x.pad(new Shape(pw[0], pw[1], ph[0], ph[1]), 0);
                padding = new Shape(0, 0);
            }
            NDList out = Conv2d.conv2d(x, weight, bias, new Shape(strideH, strideW), padding, new Shape(1, 1), groups);
            return out.singletonOrThrow();
        }

        @Override
        public int stride() {
            return strideH;
        }

        static long[] samePad(long in, int k, int s) {
            long out = (in + s - 1) / s;
            long total = Math.max((out - 1) * s + k - in, 0);
            return new long[] {total / 2, total - total / 2};
        }
    }

    /** Elementwise activation. */
    record Activation(String kind) implements GraphOp {
        @Override
        public NDArray apply(List<NDArray> inputs) {
            NDArray x = inputs.get(0);
            return switch (kind) {
                case "relu" -> ai.djl.nn.Activation.relu(x);
                case "relu6" -> Scalars.clip(x, 0, 6);
                // The engine works on logits; softmax is applied only where probabilities are shown.
                case "linear", "softmax" -> x;
                default -> throw new IllegalStateException(kind);
            };
        }
    }

    /** Standalone inference batch norm (only where it could not be folded into a convolution). */
    record Scale(NDArray scale, NDArray shift) implements GraphOp {
        @Override
        public NDArray apply(List<NDArray> inputs) {
            return inputs.get(0).mul(scale).add(shift);
        }
    }

    record GlobalAveragePool() implements GraphOp {
        @Override
        public NDArray apply(List<NDArray> inputs) {
            NDArray x = inputs.get(0);
            Shape s = x.getShape();
            return x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).mean(new int[] {2});
        }
    }

    /** Keras Reshape after a pooling: in NCHW, (1,1,C) is (C,1,1) and (C) is a flat vector. */
    record Reshape(int targetRank) implements GraphOp {
        @Override
        public NDArray apply(List<NDArray> inputs) {
            NDArray x = inputs.get(0);
            long n = x.getShape().get(0);
            long c = x.getShape().size() / n;
            return targetRank == 3 ? x.reshape(n, c, 1, 1) : x.reshape(n, c);
        }
    }

    record Identity() implements GraphOp {
        @Override
        public NDArray apply(List<NDArray> inputs) {
            return inputs.get(0);
        }
    }

    record Add() implements GraphOp {
        @Override
        public NDArray apply(List<NDArray> inputs) {
            NDArray sum = inputs.get(0);
            for (int i = 1; i < inputs.size(); i++) {
                sum = sum.add(inputs.get(i));
            }
            return sum;
        }
    }

    record ZeroPad(long top, long bottom, long left, long right) implements GraphOp {
        @Override
        public NDArray apply(List<NDArray> inputs) {
            return inputs.get(0).pad(new Shape(left, right, top, bottom), 0);
        }
    }
}
