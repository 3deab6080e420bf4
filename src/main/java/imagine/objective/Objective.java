package imagine.objective;

import ai.djl.ndarray.NDArray;
import imagine.model.Scalars;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A weighted sum of loss terms, composed with {@link #plus}; each
 * evaluation keeps every weighted term's value so progress and sidecars list the contributions.
 * Terms with weight 0 are never evaluated.
 */
public final class Objective implements AutoCloseable {

    /** A term and its weight. */
    public record Part(LossTerm term, double weight) {}

    private final List<Part> parts;
    /** The parts with a weight other than 0: terms with weight 0 are never evaluated. */
    private final List<Part> active;

    private Objective(List<Part> parts) {
        this.parts = List.copyOf(parts);
        this.active = this.parts.stream().filter(p -> p.weight() != 0).toList();
    }

    public static Objective of(LossTerm term) {
        return new Objective(List.of(new Part(term, 1.0)));
    }

    public static Objective of(LossTerm term, double weight) {
        return new Objective(List.of(new Part(term, weight)));
    }

    public Objective plus(Objective other) {
        List<Part> p = new ArrayList<>(parts);
        p.addAll(other.parts);
        return new Objective(p);
    }

    public Objective plus(LossTerm term, double weight) {
        return plus(of(term, weight));
    }

    /** Union of the taps the active terms read. */
    public Set<String> taps() {
        Set<String> t = new LinkedHashSet<>();
        for (Part p : active()) {
            t.addAll(p.term().taps());
        }
        return t;
    }

    public void prepare(Reference reference) {
        for (Part p : active()) {
            p.term().prepare(reference);
        }
    }

    /** Lets every active term react to the pixels' update (see {@link LossTerm#afterUpdate}). */
    public void afterUpdate(NDArray pixels, int iteration, Stage stage) {
        for (Part p : active()) {
            p.term().afterUpdate(pixels, iteration, stage);
        }
    }

    /** The active terms' diagnostics, in term order. */
    public Map<String, Double> diagnostics() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Part p : active()) {
            m.putAll(p.term().diagnostics());
        }
        return m;
    }

    public int skippedUpdates() {
        int n = 0;
        for (Part p : active()) {
            n += p.term().skippedUpdates();
        }
        return n;
    }

    /** Closes every term, active or not. */
    @Override
    public void close() {
        for (Part p : parts) {
            p.term().close();
        }
    }

    private List<Part> active() {
        return active;
    }

    /** The scalar total; {@code values} receives each active weighted term by name. */
    public NDArray evaluate(Step step, Map<String, NDArray> values) {
        NDArray total = null;
        for (Part p : active()) {
            NDArray l = p.term().loss(step);
            if (l == null) {
                continue;
            }
            NDArray weighted = p.weight() == 1.0 ? l : Scalars.mul(l, p.weight());
            values.merge(p.term().name(), weighted, NDArray::add);
            total = total == null ? weighted : total.add(weighted);
        }
        if (total == null) {
            throw new IllegalStateException("the objective has no active term");
        }
        return total;
    }

    /** Host copies of the recorded values (one device-to-host transfer per term). */
    public static Map<String, Double> toHost(Map<String, NDArray> values) {
        Map<String, Double> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, (double) v.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat()));
        return m;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (sb.length() > 0) {
                sb.append(" + ");
            }
            sb.append(p.weight()).append("*").append(p.term().name());
        }
        return sb.toString();
    }
}
