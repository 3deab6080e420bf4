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
            FeatureStats object = r == null || r.object() == null ? null : regionStats(full, r.object(), cells);
            // Without an object mask, or where the object has no location at this tap, the whole map.
            target.put(t, (object != null ? object : FeatureStats.of(PaddingBand.crop(full, cells))).detached(manager));
            if (r != null && r.object() != null && r.referenceBackground()) {
                FeatureStats rest = regionStats(full, complement(r.object()), cells);
                if (rest != null) { // a background the deep taps do not see is matched where they see it
                    background.put(t, rest.detached(manager));
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
            FeatureStats r = target.get(t);
            if (r == null) {
                throw new IllegalStateException("prepare() was not called");
            }
            StepRegions regions = step.regions();
            NDArray d = null;
            if (regions == null) {
                d = distance(FeatureStats.of(PaddingBand.crop(full, cells)), r);
            } else {
                FeatureStats inside = regionStats(full, regions.target(), cells);
                d = inside == null ? null : distance(inside, r);
                FeatureStats bg = background.get(t);
                FeatureStats outside = bg != null && regions.outputBackground()
                        ? regionStats(full, complement(regions.target()), cells) : null;
                if (outside != null) {
                    d = d == null ? distance(outside, bg) : d.add(distance(outside, bg));
                }
            }
            if (d == null) {
                continue; // neither region has a location at this tap in this view
            }
            d = Scalars.mul(d, tapWeights[i]);
            total = total == null ? d : total.add(d);
        }
        return total != null ? total : Scalars.of(step.image(), 0);
    }

    /** Regions weighing less than this many locations at a tap have no statistics there. */
    static final float MIN_LOCATIONS = 0.5f;

    /**
     * {@code full}'s statistics over {@code mask} without the padding band; with the band kept where
     * leaving it out would leave the region less than {@link #MIN_LOCATIONS} (a background that is
     * only a frame round the object, a box at the output's edge); null where the region has less
     * than that even then (a mean over nothing is no statistic).
     */
    private static FeatureStats regionStats(NDArray full, NDArray mask, long cells) {
        NDArray inner = maskFor(mask, full, cells);
        if (weight(inner) >= MIN_LOCATIONS) {
            return FeatureStats.of(PaddingBand.crop(full, cells), inner);
        }
        NDArray whole = maskFor(mask, full, 0);
        return weight(whole) >= MIN_LOCATIONS ? FeatureStats.of(full, whole) : null;
    }

    /** How many locations a mask weighs (of any floating type). */
    private static float weight(NDArray mask) {
        return mask.sum().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat();
    }

    /** 1 - {@code mask}, kept in [0, 1]: round-off in the averaged masks must not make a negative weight. */
    private static NDArray complement(NDArray mask) {
        return Scalars.clip(mask.neg().add(1f), 0, 1);
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
