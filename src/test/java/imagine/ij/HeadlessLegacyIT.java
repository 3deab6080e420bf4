package imagine.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;

import imagine.TestModels;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.imagej.patcher.LegacyEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fiji's headless mode: ImageJ 1.x patched by ij1-patcher's LegacyEnvironment (no display, the
 * dialogs read the macro options), the built plugin jar on its plugin class path, and the same
 * macro calls a headless Fiji user makes.
 */
class HeadlessLegacyIT {

    @Test
    void synthesizeHeadless(@TempDir Path tmp) throws Exception {
        Path models = TestModels.modelsDir();
        Path target = Path.of("target").toAbsolutePath();
        // The patched ImageJ must own every ij.* class, and the plugin must see those: so the parent
        // loader holds the dependencies only, never this project's classes.
        List<URL> deps = new ArrayList<>();
        try (Stream<Path> s = Files.list(target.resolve("lib"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                deps.add(p.toUri().toURL());
            }
        }
        deps.add(Path.of(LegacyEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri().toURL());
        Path plugin;
        try (Stream<Path> s = Files.list(target)) {
            plugin = s.filter(p -> p.getFileName().toString().matches("IMAGINE_-.*\\.jar")).findFirst().orElseThrow();
        }
        Path out = tmp.resolve("out.txt");
        ClassLoader saved = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader parent = new URLClassLoader(deps.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
            Thread.currentThread().setContextClassLoader(parent);
            LegacyEnvironment ij1 = new LegacyEnvironment(parent, true);
            ij1.disableIJ1PluginDirs();
            ij1.addPluginClasspath(plugin.toFile());
            ij1.runMacro(String.join("\n",
                    "open(\"" + Path.of("sample-data/chelsea.png").toAbsolutePath() + "\");",
                    "run(\"IMAGINE Synthesize...\", \"samples=2 width=64 height=48 iterations=5 seed=3 preset=fast "
                            + "model=mobilenet_v1_0.75_224 class=-1 models_folder=[" + models + "]\");",
                    "File.saveString(getTitle() + \" \" + getWidth() + \"x\" + getHeight() + \"x\" + nSlices "
                            + "+ \" \" + getInfo(\"slice.label\"), \"" + out + "\");",
                    ""), "");
        } finally {
            Thread.currentThread().setContextClassLoader(saved);
        }
        assertEquals("IMAGINE chelsea.png #1 64x48x2 seed=3", Files.readString(out).trim());
    }
}
