package imagine.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import imagine.model.Scalars;

/** Per-sample, per-channel spatial mean and standard deviation of an activation (N, C, H, W). */
public record FeatureStats(NDArray mean, NDArray std) {

    static final float EPS = 1e-5f;

    public static FeatureStats of(NDArray a) {
        Shape s = a.getShape();
        // DJL's PyTorch mean over several axes throws: flatten the spatial axes first.
        NDArray f = a.reshape(s.get(0), s.get(1), -1);
        NDArray mu = f.mean(new int[] {2});
        NDArray var = f.sub(mu.expandDims(2)).square().mean(new int[] {2});
        return new FeatureStats(mu, var.add(EPS).sqrt());
    }

    /**
     * Statistics over a region: {@code mask} (1, 1, H, W) weights every location (values in [0,
     * 1], at the activation's resolution), so the mean and spread describe only what is inside.
     */
    public static FeatureStats of(NDArray a, NDArray mask) {
        Shape s = a.getShape();
        NDArray f = a.reshape(s.get(0), s.get(1), -1);
        NDArray m = mask.reshape(1, 1, -1);
        NDArray wsum = m.sum().add(EPS);
        NDArray mu = f.mul(m).sum(new int[] {2}).div(wsum);
        NDArray var = f.sub(mu.expandDims(2)).square().mul(m).sum(new int[] {2}).div(wsum);
        return new FeatureStats(mu, var.add(EPS).sqrt());
    }

    /**
     * The statistics of one large image gathered from its tiles: per-channel sums and sums of
     * squares of each tile's activation (1, C, h, w), weighted by the tile's number of locations.
     */
    public static final class Accumulator {
        private NDArray sum;
        private NDArray squares;
        private long count;

        public void add(NDArray a) {
            Shape s = a.getShape();
            NDArray f = a.reshape(s.get(0), s.get(1), -1);
            NDArray sm = f.sum(new int[] {2});
            NDArray sq = f.square().sum(new int[] {2});
            sum = sum == null ? sm : sum.add(sm);
            squares = squares == null ? sq : squares.add(sq);
            count += s.get(2) * s.get(3);
        }

        /** Keeps the running sums past the caller's NDScope, owned by {@code m}. */
        public void keep(NDManager m) {
            NDScope.unregister(sum, squares);
            sum.attach(m);
            squares.attach(m);
        }

        public FeatureStats stats() {
            NDArray mu = Scalars.div(sum, count);
            NDArray var = Scalars.maximum(Scalars.div(squares, count).sub(mu.square()), 0);
            return new FeatureStats(mu, var.add(EPS).sqrt());
        }
    }

    /** Copies detached from any graph, attached to the manager of {@code owner}. */
    public FeatureStats detached(NDManager owner) {
        NDArray m = mean.stopGradient();
        NDArray s = std.stopGradient();
        NDScope.unregister(m, s);
        m.attach(owner);
        s.attach(owner);
        return new FeatureStats(m, s);
    }
}
