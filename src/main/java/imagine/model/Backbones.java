package imagine.model;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Every {@link BackboneFactory}: the built-in ones, then those found with {@link ServiceLoader}
 * through the plugin's own class loader (inside Fiji the thread's is ImageJ's). Looked up once.
 */
final class Backbones {

    private static volatile Map<String, BackboneFactory> byFormat;
    private static volatile List<String> brokenPlugins = List.of();

    private Backbones() {}

    static Map<String, BackboneFactory> all() {
        Map<String, BackboneFactory> m = byFormat;
        if (m == null) {
            List<String> broken = new ArrayList<>();
            m = load(BackboneFactory.class.getClassLoader(), broken);
            brokenPlugins = List.copyOf(broken);
            byFormat = m;
        }
        return m;
    }

    /**
     * The built-in factories, then those {@code loader} finds. A jar whose backbone cannot be loaded
     * (built for another IMAGINE, a missing class) costs its own models only: its error goes to
     * {@code broken}, the built-in ones keep working, and asking for its format says why.
     */
    static Map<String, BackboneFactory> load(ClassLoader loader, List<String> broken) {
        Map<String, BackboneFactory> m = new LinkedHashMap<>();
        for (BackboneFactory f : List.of(new TfjsLayersFactory(), new ResNet50Factory())) {
            m.put(f.format(), f);
        }
        Iterator<BackboneFactory> found = ServiceLoader.load(BackboneFactory.class, loader).iterator();
        int errors = 0;
        while (true) {
            try {
                if (!found.hasNext()) {
                    break;
                }
                BackboneFactory f = found.next();
                m.putIfAbsent(f.format(), f);
            } catch (ServiceConfigurationError | LinkageError e) {
                broken.add(e.toString());
                if (++errors > 20) {
                    break; // the iterator's recovery is best effort: never loop on one bad entry
                }
            }
        }
        return m;
    }

    /** The factory of {@code spec}'s format. */
    static BackboneFactory of(ModelSpec spec) {
        BackboneFactory f = all().get(spec.format());
        if (f == null) {
            throw new ModelException("No backbone reads the format '" + spec.format() + "' of model " + spec.id() + "."
                    + (brokenPlugins.isEmpty() ? "" : " Backbone plugins that could not be loaded (remove or update the "
                    + "jars that bring them): " + String.join("; ", brokenPlugins)));
        }
        return f;
    }

    /** Every factory's models, built-in first. */
    static List<ModelSpec> models() {
        List<ModelSpec> out = new ArrayList<>();
        all().values().forEach(f -> out.addAll(f.models()));
        return out;
    }
}
