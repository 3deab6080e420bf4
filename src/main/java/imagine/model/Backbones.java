package imagine.model;

import java.util.ArrayList;
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

    private Backbones() {}

    static Map<String, BackboneFactory> all() {
        Map<String, BackboneFactory> m = byFormat;
        if (m == null) {
            m = new LinkedHashMap<>();
            for (BackboneFactory f : List.of(new TfjsLayersFactory(), new ResNet50Factory())) {
                m.put(f.format(), f);
            }
            try {
                for (BackboneFactory f : ServiceLoader.load(BackboneFactory.class, BackboneFactory.class.getClassLoader())) {
                    m.putIfAbsent(f.format(), f);
                }
            } catch (ServiceConfigurationError e) {
                throw new ModelException("A backbone plugin could not be loaded (" + e.getMessage() + "): remove or "
                        + "update the jar that provides it.", e);
            }
            byFormat = m;
        }
        return m;
    }

    /** The factory of {@code spec}'s format. */
    static BackboneFactory of(ModelSpec spec) {
        BackboneFactory f = all().get(spec.format());
        if (f == null) {
            throw new ModelException("No backbone reads the format '" + spec.format() + "' of model " + spec.id() + ".");
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
