package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import imagine.model.Scalars;
import imagine.objective.FeatureStats;
import imagine.objective.LossTerm;
import imagine.objective.PaddingBand;
import imagine.objective.Reference;
import imagine.objective.StageRegions;
import imagine.objective.Step;
import imagine.objective.StepRegions;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * R_dm, feature distribution matching: for each tap l, ||mu_l(x) - mu_l(x0)||_2 +
 * ||sigma_l(x) - sigma_l(x0)||_2 per sample, weighted per tap and averaged over samples. The
 * reference statistics are computed once per stage.
 *
 * <p>With controls the statistics are region-wise: those of the reference's object region are
 * matched inside the target regions, those of its background outside them (masks averaged down
 * to each tap). Without an object mask the whole reference is the object and the output's
 * background is left to the other terms.
 *
 * <p>Statistics leave out the {@link PaddingBand} of every map, the reference's and the views'.
 */
public final class FeatureMatching implements LossTerm {

    private final List<String> taps;
    private final double[] tapWeights;
    private final PaddingBand band;
    private final NDManager manager;
    private final Map<String, FeatureStats> target = new LinkedHashMap<>();
    private final Map<String, FeatureStats> background = new LinkedHashMap<>();

    /**
     * @param weights relative tap weights (first = earliest), normalized here to sum 1
     * @param band the border of each map that statistics leave out
     * @param manager owns the reference statistics
     */
    public FeatureMatching(List<String> taps, List<Double> weights, PaddingBand band, NDManager manager) {
        this.taps = List.copyOf(taps);
        this.tapWeights = new double[taps.size()];
        double sum = 0;
        for (int i = 0; i < taps.size(); i++) {
            tapWeights[i] = i < weights.size() ? weights.get(i) : 1.0;
            sum += tapWeights[i];
        }
        for (int i = 0; i < tapWeights.length; i++) {
            tapWeights[i] = sum > 0 ? tapWeights[i] / sum : 1.0 / tapWeights.length;
        }
        this.band = band;
        this.manager = manager;
    }

    @Override
    public String name() {
        return "features";
    }

    @Override
    public Set<String> taps() {
        return new LinkedHashSet<>(taps);
    }

    @Override
    public void prepare(Reference reference) {
        for (Map<String, FeatureStats> m : List.of(target, background)) {
            m.values().forEach(s -> {
                s.mean().close();
                s.std().close();
            });
            m.clear();
        }
        StageRegions r = reference.regions();
        for (String t : taps) {
            if (reference.stats() != null) {
                target.put(t, reference.stats().get(t).detached(manager));
                continue;
            }
            NDArray full = reference.features().tap(t);
            long cells = band.cells(full, reference.image().getShape().get(3));
            NDArray a = PaddingBand.crop(full, cells);
            if (r == null || r.object() == null) {
                target.put(t, FeatureStats.of(a).detached(manager));
            } else {
                NDArray obj = maskFor(r.object(), full, cells);
                target.put(t, FeatureStats.of(a, obj).detached(manager));
                if (r.referenceBackground()) {
                    background.put(t, FeatureStats.of(a, obj.neg().add(1f)).detached(manager));
                }
            }
        }
    }

    @Override
    public NDArray loss(Step step) {
        NDArray total = null;
        for (int i = 0; i < taps.size(); i++) {
            String t = taps.get(i);
            NDArray full = step.features().tap(t);
            long cells = band.cells(full, step.image().getShape().get(3));
            NDArray a = PaddingBand.crop(full, cells);
            FeatureStats r = target.get(t);
            if (r == null) {
                throw new IllegalStateException("prepare() was not called");
            }
            StepRegions regions = step.regions();
            NDArray d;
            if (regions == null) {
                d = distance(FeatureStats.of(a), r);
            } else {
                NDArray inside = maskFor(regions.target(), full, cells);
                d = distance(FeatureStats.of(a, inside), r);
                FeatureStats bg = background.get(t);
                if (bg != null && regions.outputBackground()) {
                    d = d.add(distance(FeatureStats.of(a, inside.neg().add(1f)), bg));
                }
            }
            d = Scalars.mul(d, tapWeights[i]);
            total = total == null ? d : total.add(d);
        }
        return total;
    }

    /** {@code mask} averaged down to the map {@code full}, without the band's {@code cells}, as the map's statistics see it. */
    private static NDArray maskFor(NDArray mask, NDArray full, long cells) {
        return PaddingBand.crop(StageRegions.atResolution(mask, full.getShape().get(2), full.getShape().get(3)), cells);
    }

    private static NDArray distance(FeatureStats s, FeatureStats r) {
        return rowNorm(s.mean().sub(r.mean())).add(rowNorm(s.std().sub(r.std()))).mean();
    }

    private static NDArray rowNorm(NDArray a) {
        return a.square().sum(new int[] {1}).add(1e-8f).sqrt();
    }
}
