package imagine.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.ClassProbabilities;
import imagine.model.Engines;
import imagine.model.Features;
import imagine.model.GradMode;
import imagine.objective.FeatureStats;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.DiagonalMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Scores for a set of samples against their reference, for the quality report. Everything is read
 * where the objective does not look: the feature distance and SIFID on held-out layers (one per
 * stride 4, 8, 16, 32 that the objective does not tap), the robust agreement after degradations
 * the objective never applies.
 */
public final class Quality {

    /**
     * The report's numbers for one reference and one method.
     *
     * @param classAgreement share of samples whose top-1 class is the reference's
     * @param robustAgreement share of (sample, degradation) pairs whose top-1 is still the reference's
     *     class, over the {@link Robustness} degradations
     * @param sifid SIFID per held-out layer of stride 4 and 8 (in that order), averaged over samples
     */
    public record Scores(double classAgreement, double robustAgreement, double featureDistance, double[] sifid,
            double diversity, double copyScore) {}

    static final int PATCH = 32;

    private final Backbone backbone;
    private final List<String> heldOut;

    /**
     * @param heldOut layers to read the feature distance on, deepest last (diversity is read
     *     there); none of them may be one the objective used
     */
    public Quality(Backbone backbone, List<String> heldOut, List<String> objectiveTaps) {
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("No held-out layers for model " + backbone.id() + ".");
        }
        for (String t : heldOut) {
            backbone.tapStride(t); // fails early, naming the known taps
            if (objectiveTaps.contains(t)) {
                throw new IllegalArgumentException("Layer " + t + " is used by the objective; the feature distance must "
                        + "be read elsewhere.");
            }
        }
        this.backbone = backbone;
        this.heldOut = List.copyOf(heldOut);
    }

    public List<String> heldOutTaps() {
        return heldOut;
    }

    /** The held-out layers SIFID is read on: the first of stride 4 and the first of stride 8. */
    public List<String> sifidTaps() {
        List<String> out = new ArrayList<>();
        for (int stride : new int[] {4, 8}) {
            heldOut.stream().filter(t -> backbone.tapStride(t) == stride).findFirst().ifPresent(out::add);
        }
        return out;
    }

    public Scores score(RgbImage reference, int referenceClass, List<RgbImage> samples, int[] predicted) {
        int agree = 0;
        for (int p : predicted) {
            agree += p == referenceClass ? 1 : 0;
        }
        int w = samples.get(0).width();
        int h = samples.get(0).height();
        RgbImage ref = reference.scaledToArea(w, h);
        double distance;
        double diversity;
        List<String> sifidTaps = sifidTaps();
        double[] sifid = new double[sifidTaps.size()];
        double robust;
        try (NDManager m = Engines.newManager(backbone.device()); GradMode g = GradMode.off()) {
            Set<String> taps = new LinkedHashSet<>(heldOut);
            Features fs = backbone.forward(RgbImage.stack(samples, m), taps);
            Features fr = backbone.forward(ref.toArray(m), taps);
            distance = 0;
            for (String t : heldOut) {
                distance += relativeStatsDistance(FeatureStats.of(fr.tap(t)), FeatureStats.of(fs.tap(t)));
            }
            distance /= heldOut.size();
            diversity = samples.size() < 2 ? Double.NaN : diversity(fs.tap(heldOut.get(heldOut.size() - 1)));
            for (int k = 0; k < sifid.length; k++) {
                sifid[k] = sifid(fr.tap(sifidTaps.get(k)), fs.tap(sifidTaps.get(k)));
            }
            robust = robustAgreement(samples, referenceClass, m);
        }
        double copy = 0;
        for (RgbImage s : samples) {
            copy = Math.max(copy, copyScore(s, ref));
        }
        return new Scores((double) agree / predicted.length, robust, distance, sifid, diversity, copy);
    }

    /** Share of (sample, degradation) pairs still classified as {@code target}. */
    double robustAgreement(List<RgbImage> samples, int target, NDManager m) {
        List<RgbImage> all = new ArrayList<>();
        int s = backbone.nativeSize();
        for (RgbImage img : samples) {
            for (RgbImage d : Robustness.degrade(img)) {
                all.add(d.resize(s, s));
            }
        }
        ClassProbabilities p = backbone.probabilities(RgbImage.stack(all, m));
        int kept = 0;
        for (int i = 0; i < all.size(); i++) {
            kept += p.top(i) == target ? 1 : 0;
        }
        return (double) kept / all.size();
    }

    /**
     * SinGAN's single-image FID, averaged over samples: the Frechet distance between Gaussians
     * fitted to the spatial feature vectors (one per location, C channels) of the reference and of
     * each sample at one layer: |mu1 - mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^(1/2)).
     */
    static double sifid(NDArray reference, NDArray samples) {
        double[][] r = vectors(reference, 0);
        double[] mr = mean(r);
        double[][] cr = covariance(r, mr);
        int n = (int) samples.getShape().get(0);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double[][] v = vectors(samples, i);
            double[] mv = mean(v);
            sum += frechet(mr, cr, mv, covariance(v, mv));
        }
        return sum / n;
    }

    /** The Frechet distance of two Gaussians; the matrix square root through symmetric eigendecompositions. */
    static double frechet(double[] m1, double[][] c1, double[] m2, double[][] c2) {
        double d = 0;
        for (int i = 0; i < m1.length; i++) {
            d += (m1[i] - m2[i]) * (m1[i] - m2[i]);
        }
        RealMatrix a = new Array2DRowRealMatrix(c1, false);
        RealMatrix b = new Array2DRowRealMatrix(c2, false);
        RealMatrix sqrtA = sqrtPsd(a);
        // Tr((A B)^(1/2)) = Tr((A^(1/2) B A^(1/2))^(1/2)), and the latter is symmetric.
        RealMatrix inner = sqrtA.multiply(b).multiply(sqrtA);
        inner = inner.add(inner.transpose()).scalarMultiply(0.5);
        double trSqrt = 0;
        for (double ev : new EigenDecomposition(inner).getRealEigenvalues()) {
            trSqrt += Math.sqrt(Math.max(0, ev));
        }
        return d + a.getTrace() + b.getTrace() - 2 * trSqrt;
    }

    private static RealMatrix sqrtPsd(RealMatrix m) {
        RealMatrix sym = m.add(m.transpose()).scalarMultiply(0.5);
        EigenDecomposition e = new EigenDecomposition(sym);
        double[] ev = e.getRealEigenvalues();
        double[] root = new double[ev.length];
        for (int i = 0; i < ev.length; i++) {
            root[i] = Math.sqrt(Math.max(0, ev[i]));
        }
        return e.getV().multiply(new DiagonalMatrix(root)).multiply(e.getVT());
    }

    /** The (h*w, C) feature vectors of batch item {@code i} of a (N, C, h, w) activation. */
    private static double[][] vectors(NDArray a, int i) {
        Shape s = a.getShape();
        int c = (int) s.get(1);
        int hw = (int) (s.get(2) * s.get(3));
        float[] f = a.get(i).toFloatArray();
        double[][] v = new double[hw][c];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < hw; p++) {
                v[p][ch] = f[ch * hw + p];
            }
        }
        return v;
    }

    private static double[] mean(double[][] v) {
        double[] m = new double[v[0].length];
        for (double[] row : v) {
            for (int j = 0; j < m.length; j++) {
                m[j] += row[j];
            }
        }
        for (int j = 0; j < m.length; j++) {
            m[j] /= v.length;
        }
        return m;
    }

    private static double[][] covariance(double[][] v, double[] mean) {
        int c = mean.length;
        double[][] cov = new double[c][c];
        for (double[] row : v) {
            for (int a = 0; a < c; a++) {
                double da = row[a] - mean[a];
                for (int b = a; b < c; b++) {
                    cov[a][b] += da * (row[b] - mean[b]);
                }
            }
        }
        for (int a = 0; a < c; a++) {
            for (int b = a; b < c; b++) {
                cov[a][b] /= Math.max(1, v.length - 1);
                cov[b][a] = cov[a][b];
            }
        }
        return cov;
    }

    /**
     * Mean over samples of the squared distance between per-channel means and spreads, relative
     * to the reference's own squared magnitude: 0 = the same statistics.
     */
    static double relativeStatsDistance(FeatureStats ref, FeatureStats s) {
        NDArray d = s.mean().sub(ref.mean()).square().add(s.std().sub(ref.std()).square()).mean(new int[] {1});
        NDArray norm = ref.mean().square().add(ref.std().square()).mean();
        return d.div(norm.add(1e-12f)).mean().getFloat();
    }

    /** Mean pairwise cosine distance between the samples' globally pooled deep features. */
    static double diversity(NDArray deep) {
        Shape s = deep.getShape();
        NDArray v = deep.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
        NDArray unit = v.div(v.norm(new int[] {1}, true).add(1e-12f));
        float[] cos = unit.matMul(unit.transpose()).toFloatArray();
        int n = (int) s.get(0);
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                sum += 1 - cos[i * n + j];
                pairs++;
            }
        }
        return sum / pairs;
    }

    /**
     * The largest normalized cross-correlation between a 32x32 patch of the sample (every 16 px)
     * and any patch of the reference (every 4 px), on high-passed gray images (minus a 5x5 box
     * blur): smooth gradients correlate with any smooth region, detail only with its copy. Flat
     * patches are skipped. 1 = some patch is a copy. Hand-written: no library at hand does patch
     * NCC on plain arrays.
     */
    static double copyScore(RgbImage sample, RgbImage ref) {
        float[] a = highPass(gray(sample), sample.width(), sample.height());
        float[] b = highPass(gray(ref), ref.width(), ref.height());
        List<float[]> refPatches = new ArrayList<>();
        for (int y = 0; y + PATCH <= ref.height(); y += 4) {
            for (int x = 0; x + PATCH <= ref.width(); x += 4) {
                float[] p = normalizedPatch(b, ref.width(), x, y);
                if (p != null) {
                    refPatches.add(p);
                }
            }
        }
        double best = 0;
        for (int y = 0; y + PATCH <= sample.height(); y += 16) {
            for (int x = 0; x + PATCH <= sample.width(); x += 16) {
                float[] p = normalizedPatch(a, sample.width(), x, y);
                if (p == null) {
                    continue;
                }
                for (float[] q : refPatches) {
                    double dot = 0;
                    for (int k = 0; k < p.length; k++) {
                        dot += p[k] * q[k];
                    }
                    best = Math.max(best, dot);
                }
            }
        }
        return best;
    }

    private static float[] gray(RgbImage img) {
        int n = img.width() * img.height();
        float[] p = img.planes();
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = 0.299f * p[i] + 0.587f * p[n + i] + 0.114f * p[2 * n + i];
        }
        return g;
    }

    /** The image minus its 5x5 box blur (edges clamped). */
    static float[] highPass(float[] g, int w, int h) {
        float[] out = new float[g.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int dy = -2; dy <= 2; dy++) {
                    int yy = Math.min(h - 1, Math.max(0, y + dy));
                    for (int dx = -2; dx <= 2; dx++) {
                        sum += g[yy * w + Math.min(w - 1, Math.max(0, x + dx))];
                    }
                }
                out[y * w + x] = g[y * w + x] - sum / 25;
            }
        }
        return out;
    }

    /** Zero mean, unit norm; null when the patch is flat (std below 0.01 after the high-pass). */
    private static float[] normalizedPatch(float[] img, int width, int x0, int y0) {
        float[] p = new float[PATCH * PATCH];
        double sum = 0;
        for (int y = 0; y < PATCH; y++) {
            for (int x = 0; x < PATCH; x++) {
                float v = img[(y0 + y) * width + x0 + x];
                p[y * PATCH + x] = v;
                sum += v;
            }
        }
        float mean = (float) (sum / p.length);
        double ss = 0;
        for (int k = 0; k < p.length; k++) {
            p[k] -= mean;
            ss += p[k] * p[k];
        }
        if (Math.sqrt(ss / p.length) < 0.01) {
            return null;
        }
        float inv = (float) (1 / Math.sqrt(ss));
        for (int k = 0; k < p.length; k++) {
            p[k] *= inv;
        }
        return p;
    }
}
