package imagine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic with a Java number on arrays that may be part of a gradient graph. Use these instead
 * of DJL's {@code NDArray.mul(Number)}, {@code div(Number)}, {@code pow(Number)},
 * {@code maximum(Number)}, {@code minimum(Number)} and {@code clip(Number, Number)}.
 *
 * <p>Why (DJL 0.32.0 to 0.36.0, and DJL's master as of 2026-11): {@code PtNDArray.mul(Number)} is
 * {@code try (NDArray n = manager.create(value)) { return mul(n); }}, and
 * {@code PtNDManager.create(Buffer, ...)} wraps a Java direct buffer with {@code torch::from_blob}
 * ({@code JniUtils.createNdFromByteBuffer}), which does not own that memory on the CPU. Autograd's
 * backward of {@code mul}, {@code div}, {@code pow}, {@code maximum} and {@code minimum} keeps the
 * operand and reads it again; once the array is closed a garbage collection frees the buffer, and
 * the backward pass multiplies by whatever the allocator wrote there since (measured: 1.4e-45,
 * -3.1e31, NaN; also harmless-looking factors of 1.5x to 19x). That was the "absurd gradient" of
 * about one step per run and the reason single-threaded runs differed between processes. Here the
 * scalar is made by {@code torch::full}, so libtorch owns it and the graph keeps it alive.
 * {@code add(Number)} and {@code sub(Number)} are safe as DJL has them: their backward keeps no
 * operand. {@code clip(Number, Number)} reads its bounds at once (clamp takes them as scalars),
 * but leaves two arrays in the array's manager on every call; {@link #clip} closes them.
 *
 * <p>Upstream report: deepjavalibrary/djl, {@code PtNDArray.mul(Number)} (same pattern in div, pow,
 * maximum, minimum, and in {@code JniUtils.clip}). The 30-line repro is in docs/development.md, "Engine
 * notes" (kept in one place, and out of the sources, which {@code ScalarsTest} scans for it).
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-dim array holding {@code value}, of {@code like}'s type, owned by libtorch, in its manager. */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    public static NDArray mul(NDArray x, double value) {
        return with(x, value, NDArray::mul);
    }

    public static NDArray div(NDArray x, double value) {
        return with(x, value, NDArray::div);
    }

    public static NDArray pow(NDArray x, double value) {
        return with(x, value, NDArray::pow);
    }

    public static NDArray maximum(NDArray x, double value) {
        return with(x, value, NDArray::maximum);
    }

    public static NDArray minimum(NDArray x, double value) {
        return with(x, value, NDArray::minimum);
    }

    /** {@code op(x, value)} with the value as a libtorch-owned scalar, closed once the op has run. */
    private static NDArray with(NDArray x, double value, BinaryOperator<NDArray> op) {
        try (NDArray s = of(x, value)) {
            return op.apply(x, s);
        }
    }

    /**
     * {@code x} clamped to [lo, hi], with clamp's gradient (1 inside, 0 outside). The two bound
     * arrays DJL makes are closed by an inner scope; the result is handed on to the caller's scope,
     * as any other op's result would be.
     */
    public static NDArray clip(NDArray x, double lo, double hi) {
        NDArray r;
        try (NDScope bounds = new NDScope()) {
            bounds.suppressNotUsedWarning();
            r = x.clip(lo, hi);
            NDScope.unregister(r);
        }
        NDScope.register(r);
        return r;
    }
}
