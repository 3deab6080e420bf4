package imagine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backbone plugin that cannot be loaded costs its own models, not the built-in ones. */
class BackbonesTest {

    @Test
    void aBrokenBackbonePluginIsSkippedAndNamed(@TempDir Path jar) throws Exception {
        Path services = Files.createDirectories(jar.resolve("META-INF/services"));
        Files.writeString(services.resolve(BackboneFactory.class.getName()), "no.such.BackboneFactory\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                BackboneFactory.class.getClassLoader())) {
            List<String> broken = new ArrayList<>();
            Map<String, BackboneFactory> m = Backbones.load(loader, broken);
            assertTrue(m.containsKey(ModelSpec.find(ModelSpec.DEFAULT_ID).orElseThrow().format()), m.keySet().toString());
            assertEquals(1, broken.size(), broken.toString());
            assertTrue(broken.get(0).contains("no.such.BackboneFactory"), broken.toString());
            // A plugin the test classes bring (found through the parent) still counts.
            assertTrue(m.containsKey(new imagine.toys.ToyBackboneFactory().format()), m.keySet().toString());
        }
    }
}
