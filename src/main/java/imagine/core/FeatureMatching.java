package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * R_dm, feature distribution matching: for each tap l, ||mu_l(x) - mu_l(x0)||_2 +
 * ||sigma_l(x) - sigma_l(x0)||_2 per sample, weighted per tap and averaged over samples. The
 * reference statistics are computed once per stage.
 */
public final class FeatureMatching implements LossTerm {

    private final List<String> taps;
    private final double[] tapWeights;
    private final NDManager manager;
    private final Map<String, FeatureStats> target = new LinkedHashMap<>();

    /**
     * @param weights relative tap weights (first = earliest), normalized here to sum 1
     * @param manager owns the reference statistics
     */
    public FeatureMatching(List<String> taps, List<Double> weights, NDManager manager) {
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
        target.values().forEach(s -> {
            s.mean().close();
            s.std().close();
        });
        target.clear();
        for (String t : taps) {
            target.put(t, FeatureStats.of(reference.features().tap(t)).detached(manager));
        }
    }

    @Override
    public NDArray loss(Step step) {
        NDArray total = null;
        for (int i = 0; i < taps.size(); i++) {
            String t = taps.get(i);
            FeatureStats s = FeatureStats.of(step.features().tap(t));
            FeatureStats r = target.get(t);
            if (r == null) {
                throw new IllegalStateException("prepare() was not called");
            }
            NDArray d = rowNorm(s.mean().sub(r.mean())).add(rowNorm(s.std().sub(r.std()))).mean().mul((float) tapWeights[i]);
            total = total == null ? d : total.add(d);
        }
        return total;
    }

    private static NDArray rowNorm(NDArray a) {
        return a.square().sum(new int[] {1}).add(1e-8f).sqrt();
    }
}
