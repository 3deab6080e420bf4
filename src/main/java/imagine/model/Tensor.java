package imagine.model;

import java.util.Arrays;

/** A host-side float tensor as read from a weight file, before it goes to the engine. */
public record Tensor(String name, long[] shape, float[] data) {

    public Tensor {
        if (numel(shape) != data.length) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs "
                    + numel(shape) + " values, got " + data.length);
        }
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public int dim(int i) {
        return (int) shape[i];
    }

    public int rank() {
        return shape.length;
    }

    /**
     * A copy with axes permuted (new axis i = old axis perm[i]), materialized contiguously:
     * a transposed view would be re-laid-out by every convolution call.
     */
    public Tensor permute(int... perm) {
        long[] newShape = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            newShape[i] = shape[perm[i]];
        }
        int rank = shape.length;
        long[] oldStrides = strides(shape);
        float[] out = new float[data.length];
        int[] idx = new int[rank];
        for (int flat = 0; flat < out.length; flat++) {
            long src = 0;
            for (int i = 0; i < rank; i++) {
                src += idx[i] * oldStrides[perm[i]];
            }
            out[flat] = data[(int) src];
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < newShape[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Tensor(name, newShape, out);
    }

    private static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }
}
