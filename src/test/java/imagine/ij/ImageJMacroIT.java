package imagine.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import imagine.TestModels;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real ImageJ 1.x, the built plugin jar in a fresh plugins folder, under a virtual display:
 * the macro call of the menu command opens the result window with the right title, size,
 * slices and labels, and the reference image is unchanged.
 */
class ImageJMacroIT {

    @Test
    void synthesizeFromAMacro(@TempDir Path ij) throws Exception {
        boolean haveXvfb = new File("/usr/bin/xvfb-run").canExecute();
        if (!haveXvfb) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("xvfb-run is missing; .ci/run installs it (apt-get install xvfb xauth)");
            }
            assumeTrue(false, "xvfb-run not installed");
        }
        Path models = TestModels.modelsDir();
        Path target = Path.of("target").toAbsolutePath();
        Path plugins = Files.createDirectories(ij.resolve("plugins"));
        Path jars = Files.createDirectories(ij.resolve("jars"));
        Path ijJar = null;
        try (Stream<Path> s = Files.list(target)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().matches("IMAGINE_-.*\\.jar")) {
                    Files.copy(p, plugins.resolve(p.getFileName()));
                }
            }
        }
        try (Stream<Path> s = Files.list(target.resolve("lib"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith("ij-")) {
                    ijJar = p;
                } else {
                    Files.copy(p, jars.resolve(p.getFileName()));
                }
            }
        }
        Path result = ij.resolve("result.png");
        Path macro = ij.resolve("t.ijm");
        Files.writeString(macro, String.join("\n",
                "run(\"IMAGINE Settings...\", \"device=cpu models_folder=[" + models + "]\");",
                "open(\"" + Path.of("sample-data/chelsea.png").toAbsolutePath() + "\");",
                "ref = getTitle();",
                "getStatistics(area, mean0, min0, max0, std0);",
                "run(\"IMAGINE Synthesize...\", \"samples=2 width=64 height=48 iterations=5 seed=3 preset=fast "
                        + "model=mobilenet_v1_0.75_224 class=-1 models_folder=[" + models + "]\");",
                "print(\"TITLE=\" + getTitle());",
                "print(\"SIZE=\" + getWidth() + \"x\" + getHeight() + \"x\" + nSlices);",
                "print(\"LABEL=\" + getInfo(\"slice.label\"));",
                "saveAs(\"PNG\", \"" + result + "\");",
                "selectImage(ref);",
                "getStatistics(area, mean1, min1, max1, std1);",
                "print(\"REF=\" + (mean0 == mean1 && std0 == std1) + \" \" + getTitle());",
                ""));
        Path log = ij.resolve("imagej.log");
        Process p = new ProcessBuilder("xvfb-run", "-a", "java", "-Xmx2g", "-jar", ijJar.toString(), "-ijpath", ij.toString(),
                "-batch", macro.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // xvfb-run's java child too
            p.destroyForcibly();
            fail("ImageJ did not finish within 4 minutes (an error dialog?): " + Files.readString(log));
        }
        String out = Files.readString(log);
        List<String> lines = out.lines().toList();
        assertTrue(out.contains("engine: PyTorch 2.5.1"), "Settings logs the diagnostics: " + out);
        assertTrue(lines.contains("TITLE=IMAGINE of chelsea.png"), out);
        assertTrue(lines.contains("SIZE=64x48x2"), out);
        assertTrue(lines.contains("LABEL=seed=3"), out);
        assertTrue(lines.contains("REF=1 chelsea.png"), out);
        var img = ImageIO.read(result.toFile());
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());
    }
}
