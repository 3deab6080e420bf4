package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import imagine.objective.LossTerm;
import imagine.objective.Reference;
import imagine.objective.Step;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The view's colours against the reference's, as distributions: a sliced Wasserstein distance
 * between the two clouds of RGB pixels. Both are projected on directions of colour space, sorted,
 * and compared quantile by quantile (squared), as in colour transfer (Pitié et al.) and
 * sliced-Wasserstein texture synthesis (Heitz et al.). Each step uses 16 of a pool of 64 fixed
 * directions, the groups taking turns: 16 directions alone leave room for a cloud that matches
 * all 16 projections yet holds colours the reference lacks (Heitz et al. draw new directions every
 * step for this reason; a fixed pool keeps runs repeatable). Feature statistics match each layer's mean
 * and spread only, so a lavender patch balanced by a warmer one elsewhere costs them nothing; here
 * every pixel needs a place in the reference's colour distribution. Sorting is differentiable
 * (the gradient follows each value to its rank). Written by hand: no library on Maven Central
 * offers a differentiable sliced Wasserstein distance for DJL.
 */
public final class PaletteMatching implements LossTerm {

    /** Directions compared per step. */
    static final int DIRECTIONS = 16;

    /** Directions in all: the grey axis, the three channels and random ones, fixed so runs repeat. */
    static final int POOL = 64;

    /**
     * How much a difference along the grey axis counts against one of the same size in the colour
     * plane: colours the reference lacks (a lavender cast) need a strong term, and brightness does
     * not: at the same strength a black-and-white silhouette's two peaks came back as salt-and-pepper
     * speckle. Squared, this scale is the grey axis's share: 0.2.
     */
    static final double GREY_SCALE = Math.sqrt(0.2);

    /** Reference pixels the distribution is read from, at most. */
    static final int MAX_REFERENCE_PIXELS = 1 << 16;

    /** Pixels compared per step: one in STRIDE x STRIDE. */
    static final int STRIDE = 4;

    private final NDManager manager;
    private final float[] directions = directions();
    /** The reference's projections, sorted, per direction. */
    private float[][] sortedReference;
    /** The reference's quantiles at a view's pixel count, per count and group of directions (views change size between stages). */
    private final Map<Long, NDArray> targets = new HashMap<>();
    private NDArray[] projections;

    /** @param manager owns the reference's quantiles */
    public PaletteMatching(NDManager manager) {
        this.manager = manager;
    }

    @Override
    public String name() {
        return "palette";
    }

    @Override
    public void prepare(Reference reference) {
        targets.values().forEach(NDArray::close);
        targets.clear();
        if (projections == null) {
            projections = new NDArray[POOL / DIRECTIONS];
            for (int g = 0; g < projections.length; g++) {
                projections[g] = manager.create(Arrays.copyOfRange(directions, 3 * DIRECTIONS * g, 3 * DIRECTIONS * (g + 1)), new Shape(DIRECTIONS, 3));
            }
        }
        float[] px = reference.image().toFloatArray();
        int n = px.length / 3;
        // A large reference (a windowed stage's) is read at evenly spaced pixels: its distribution
        // does not need millions of them (a step compares at most (448 / 4)^2 = 12544 quantiles).
        int step = Math.max(1, n / MAX_REFERENCE_PIXELS);
        int kept = (n + step - 1) / step;
        sortedReference = new float[POOL][kept];
        for (int d = 0; d < POOL; d++) {
            float a = directions[3 * d];
            float b = directions[3 * d + 1];
            float c = directions[3 * d + 2];
            float[] p = sortedReference[d];
            for (int k = 0, i = 0; k < kept; k++, i += step) {
                p[k] = a * px[i] + b * px[n + i] + c * px[2 * n + i];
            }
            Arrays.sort(p);
        }
    }

    @Override
    public NDArray loss(Step step) {
        if (sortedReference == null) {
            throw new IllegalStateException("prepare() was not called");
        }
        // Every STRIDE-th pixel in each direction, the offset turning with the step: sorting is most
        // of this term's cost (all pixels, 16 directions: +22% run time, measured), and every pixel is
        // still compared once in STRIDE x STRIDE steps.
        int o = step.iteration() % (STRIDE * STRIDE);
        NDArray x = step.image().get(new NDIndex(":, :, {}::{}, {}::{}", o / STRIDE, STRIDE, o % STRIDE, STRIDE));
        Shape s = x.getShape();
        long count = s.get(2) * s.get(3);
        NDArray flat = x.reshape(s.get(0), 3, count);
        // The direction group turns too, shifted once per round of offsets so that no group stays
        // tied to the same pixels.
        int g = (step.iteration() + step.iteration() / (STRIDE * STRIDE)) % projections.length;
        NDArray sorted = projections[g].matMul(flat).sort(2);
        NDArray target = targets.computeIfAbsent(count * projections.length + g, k -> quantiles(count, g));
        return sorted.sub(target).square().mean();
    }

    /** The reference's sorted projections read at {@code count} evenly spaced quantiles, (DIRECTIONS, count). */
    private NDArray quantiles(long count, int group) {
        int m = (int) count;
        float[] q = new float[DIRECTIONS * m];
        for (int d = 0; d < DIRECTIONS; d++) {
            float[] p = sortedReference[group * DIRECTIONS + d];
            for (int i = 0; i < m; i++) {
                double at = (i + 0.5) * p.length / m - 0.5;
                int lo = (int) Math.max(0, Math.min(p.length - 1, Math.floor(at)));
                int hi = Math.min(p.length - 1, lo + 1);
                double f = Math.max(0, Math.min(1, at - lo));
                q[d * m + i] = (float) (p[lo] + f * (p[hi] - p[lo]));
            }
        }
        NDArray t = manager.create(q, new Shape(DIRECTIONS, m));
        // Made during a step: kept for the stage, not closed with the step's scope.
        NDScope.unregister(t);
        return t;
    }

    /**
     * Unit directions (grey, red, green, blue, then random ones from a fixed seed), each with its
     * grey component scaled by {@link #GREY_SCALE}: projecting a pixel on it is projecting the
     * pixel with its grey component so scaled.
     */
    static float[] directions() {
        float[] v = new float[3 * POOL];
        float g = (float) (1 / Math.sqrt(3));
        float[][] first = {{g, g, g}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        Random r = new Random(7);
        for (int d = 0; d < POOL; d++) {
            double[] u = new double[3];
            if (d < first.length) {
                for (int c = 0; c < 3; c++) {
                    u[c] = first[d][c];
                }
            } else {
                for (int c = 0; c < 3; c++) {
                    u[c] = r.nextGaussian();
                }
            }
            double norm = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
            double grey = (u[0] + u[1] + u[2]) / 3 / norm;
            for (int c = 0; c < 3; c++) {
                v[3 * d + c] = (float) (u[c] / norm - (1 - GREY_SCALE) * grey);
            }
        }
        return v;
    }

    @Override
    public void close() {
        targets.values().forEach(NDArray::close);
        targets.clear();
        // The sorted projections (64 per reference pixel) go too: an objective kept after its run
        // (a result, a listener) must not keep them.
        sortedReference = null;
        if (projections != null) {
            for (NDArray p : projections) {
                p.close();
            }
            projections = null;
        }
    }
}
