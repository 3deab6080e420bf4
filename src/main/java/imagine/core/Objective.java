package imagine.core;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A weighted sum of loss terms. Objectives add ({@link #plus}) and scale ({@link #times}); each
 * evaluation keeps every weighted term's value so progress and sidecars list the contributions.
 * Terms with weight 0 are never evaluated.
 */
public final class Objective {

    /** A term and its weight. */
    public record Part(LossTerm term, double weight) {}

    private final List<Part> parts;

    private Objective(List<Part> parts) {
        this.parts = List.copyOf(parts);
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

    public Objective times(double w) {
        List<Part> p = new ArrayList<>();
        for (Part part : parts) {
            p.add(new Part(part.term(), part.weight() * w));
        }
        return new Objective(p);
    }

    public List<Part> parts() {
        return Collections.unmodifiableList(parts);
    }

    /** Union of the taps the active terms read. */
    public Set<String> taps() {
        Set<String> t = new LinkedHashSet<>();
        for (Part p : parts) {
            if (p.weight() != 0) {
                t.addAll(p.term().taps());
            }
        }
        return t;
    }

    public void prepare(Reference reference) {
        for (Part p : parts) {
            if (p.weight() != 0) {
                p.term().prepare(reference);
            }
        }
    }

    /** The scalar total; {@code values} receives each active weighted term by name. */
    public NDArray evaluate(Step step, Map<String, NDArray> values) {
        NDArray total = null;
        for (Part p : parts) {
            if (p.weight() == 0) {
                continue;
            }
            NDArray l = p.term().loss(step);
            if (l == null) {
                continue;
            }
            NDArray weighted = p.weight() == 1.0 ? l : l.mul((float) p.weight()); // a double would promote the scalar to float64
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
