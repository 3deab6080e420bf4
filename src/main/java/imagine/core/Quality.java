package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.Features;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Scores for a set of samples against their reference, for the quality report. The feature
 * distance is read on held-out layers (one per stride 4, 8, 16, 32 that the objective does not
 * tap), so it is not the quantity the synthesis optimized.
 */
public final class Quality {

    /** The report's numbers for one reference and one method. */
    public record Scores(double classAgreement, double featureDistance, double diversity, double copyScore) {}

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

    public Scores score(RgbImage reference, int referenceClass, List<RgbImage> samples, int[] predicted) {
        int agree = 0;
        for (int p : predicted) {
            agree += p == referenceClass ? 1 : 0;
        }
        int w = samples.get(0).width();
        int h = samples.get(0).height();
        RgbImage ref = ImagineEngine.referenceAtScale(reference, w, h);
        double distance;
        double diversity;
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
        }
        double copy = 0;
        for (RgbImage s : samples) {
            copy = Math.max(copy, copyScore(s, ref));
        }
        return new Scores((double) agree / predicted.length, distance, diversity, copy);
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
