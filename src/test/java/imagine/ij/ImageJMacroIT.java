package imagine.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import imagine.TestModels;
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

    /** A fresh ImageJ folder: the plugin jar in plugins/, its dependencies in jars/; returns ij.jar. */
    static Path installImageJ(Path ij) throws Exception {
        imagine.TestTools.requireXvfb();
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
        return ijJar;
    }

    /** Runs {@code macro} in ImageJ -batch under a virtual display; returns what it printed. */
    static String runBatch(Path ij, Path ijJar, Path macro) throws Exception {
        Path log = ij.resolve("imagej-" + macro.getFileName() + ".log");
        Process p = new ProcessBuilder("xvfb-run", "-a", "java", "-Xmx2g", "-jar", ijJar.toString(), "-ijpath", ij.toString(),
                "-batch", macro.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // xvfb-run's java child too
            p.destroyForcibly();
            fail("ImageJ did not finish within 4 minutes (an error dialog?): " + Files.readString(log));
        }
        return Files.readString(log);
    }

    @Test
    void synthesizeFromAMacro(@TempDir Path ij) throws Exception {
        Path models = TestModels.modelsDir();
        Path ijJar = installImageJ(ij);
        Path result = ij.resolve("result.png");
        // The shipped demo, run from a copy of sample-data so its output lands in the temporary folder.
        Path demoDir = Files.createDirectories(ij.resolve("demo"));
        Files.copy(Path.of("sample-data/demo.ijm"), demoDir.resolve("demo.ijm"));
        Files.copy(Path.of("sample-data/chelsea.png"), demoDir.resolve("chelsea.png"));
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
                "print(\"JSON=\" + Property.get(\"imagine_json\"));",
                "saveAs(\"PNG\", \"" + result + "\");",
                "selectImage(ref);",
                "getStatistics(area, mean1, min1, max1, std1);",
                "print(\"REF=\" + (mean0 == mean1 && std0 == std1) + \" \" + getTitle());",
                // The reference's selection marks the object; the selection itself stays as it was.
                "makeOval(120, 40, 240, 230);",
                "getSelectionBounds(x0, y0, w0, h0);",
                "run(\"IMAGINE Synthesize...\", \"samples=1 width=64 height=48 iterations=5 seed=4 preset=fast "
                        + "model=mobilenet_v1_0.75_224 class=-1 models_folder=[" + models + "]\");",
                "print(\"OBJ=\" + getTitle() + \" \" + getWidth() + \"x\" + getHeight());",
                "close();",
                "selectImage(ref);",
                "getSelectionBounds(x1, y1, w1, h1);",
                "print(\"ROI=\" + (x0 == x1 && y0 == y1 && w0 == w1 && h0 == h1) + \" \" + selectionType());", // 1 = oval
                // Position control: two targets in the ROI Manager, drawn on the reference.
                "run(\"Select None\");",
                "makeRectangle(0, 0, 200, 150); roiManager(\"add\");",
                "makeRectangle(250, 150, 200, 150); roiManager(\"add\");",
                "run(\"Select None\");",
                "run(\"IMAGINE Position Control...\", \"samples=1 width=96 height=64 iterations=5 seed=1 preset=fast "
                        + "model=mobilenet_v1_0.75_224 class=-1 models_folder=[" + models + "] targets=[ROI Manager]\");",
                "print(\"POS=\" + getTitle() + \" \" + getWidth() + \"x\" + getHeight() + \"x\" + nSlices);",
                "print(\"POSINFO=\" + indexOf(getImageInfo(), \"target: box 0,0,43,32\"));",
                "print(\"POSOVERLAY=\" + Overlay.size);",
                "close();",
                // The rectangle just drawn as the target (targets=Selection): the whole reference is the object.
                "selectImage(ref); makeRectangle(100, 50, 200, 150);",
                "run(\"IMAGINE Position Control...\", \"samples=1 width=96 height=64 iterations=5 seed=1 preset=fast "
                        + "model=mobilenet_v1_0.75_224 class=-1 models_folder=[" + models + "] targets=Selection\");",
                "print(\"SELPOS=\" + indexOf(getImageInfo(), \"target: box 21,11,43,32\") + \" \" + indexOf(getImageInfo(), "
                        + "\"object: whole reference\"));",
                "close(); selectImage(ref); run(\"Select None\");",
                // Shape control: a white oval on black, the output's size.
                "newImage(\"shape\", \"8-bit black\", 64, 48, 1);",
                "makeOval(10, 5, 40, 35); run(\"Set...\", \"value=255\"); run(\"Select None\");",
                "selectImage(ref);",
                "run(\"IMAGINE Shape Control...\", \"samples=2 width=64 height=48 iterations=5 seed=2 preset=fast "
                        + "model=mobilenet_v1_0.75_224 class=-1 models_folder=[" + models + "] targets=[Mask image] mask=shape\");",
                "print(\"SHAPE=\" + getTitle() + \" \" + getWidth() + \"x\" + getHeight() + \"x\" + nSlices);",
                "print(\"SHAPEINFO=\" + indexOf(getImageInfo(), \"target: mask 64x48\"));",
                // A 3-slice stack, every slice a reference in turn, preview asked for (no window in batch mode).
                "newImage(\"stack\", \"8-bit ramp\", 80, 60, 3);",
                "run(\"IMAGINE Synthesize...\", \"samples=2 width=32 height=32 iterations=3 seed=5 preset=fast "
                        + "model=mobilenet_v1_0.75_224 class=-1 models_folder=[" + models + "] all_slices preview\");",
                "print(\"ALL=\" + getTitle() + \" \" + nSlices);",
                "setSlice(4); print(\"ALLLABEL=\" + getInfo(\"slice.label\"));",
                "print(\"ALLSTACK=\" + isOpen(\"stack\") + \" \" + nImages);",
                // A micrograph no ImageNet class fits: class -1 leaves the class term off and the Log says so.
                "open(\"" + TestModels.image("cell.png") + "\");",
                "run(\"IMAGINE Synthesize...\", \"samples=1 width=32 height=32 iterations=3 seed=1 preset=fast "
                        + "model=mobilenet_v1_0.75_224 class=-1 models_folder=[" + models + "]\");",
                "print(\"CELLJSON=\" + Property.get(\"imagine_json\"));",
                "runMacro(\"" + demoDir.resolve("demo.ijm") + "\");",
                ""));
        String out = runBatch(ij, ijJar, macro);
        List<String> lines = out.lines().toList();
        assertTrue(out.contains("IMAGINE settings: device cpu (the CPU (no CUDA GPU found)); Models in " + models
                + ": mobilenet_v1_0.75_224"), "Settings logs what it set and what it found: " + out);
        assertTrue(lines.contains("TITLE=IMAGINE chelsea.png #1"), out);
        assertTrue(lines.contains("SIZE=64x48x2"), out);
        assertTrue(lines.contains("LABEL=seed=3"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("JSON={\"tool\":\"IMAGINE for Fiji\",\"reference\":\"chelsea.png\","
                + "\"runs\":[{\"model\":\"mobilenet_v1_0.75_224\"") && l.contains("\"seed\":4")), "all parameters as JSON: " + out);
        assertTrue(lines.contains("REF=1 chelsea.png"), out);
        assertTrue(lines.contains("OBJ=IMAGINE chelsea.png #1 64x48"), out);
        assertTrue(lines.contains("ROI=1 1"), "the reference's selection is unchanged: " + out);
        assertTrue(lines.contains("POS=IMAGINE chelsea.png #1 96x64x1"), out);
        assertTrue(lines.contains("POSOVERLAY=2"), "the two targets shown on the result: " + out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("POSINFO=") && !l.equals("POSINFO=-1")),
                "the targets, mapped to the 96x64 output, are in the Info: " + out);
        assertTrue(lines.contains("SHAPE=IMAGINE chelsea.png #1 64x48x2"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("SELPOS=\\d+ \\d+")), "the selection is the one target and the "
                + "whole reference the object: " + out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("SHAPEINFO=") && !l.equals("SHAPEINFO=-1")), out);
        // The oval is 40x35 of 64x48: about 36% (ImageJ's rasterization decides the last percent).
        assertTrue(out.lines().anyMatch(l -> l.matches("IMAGINE: the shape comes from the mask shape \\(64x48; the object "
                + "covers 3[4-7]% of it\\)\\.")), "the Log says which mask was used: " + out);
        assertTrue(!out.contains("targets drawn on the 451x300 reference are scaled to the 64x48"),
                "a mask image is no target drawn on the reference: " + out);
        assertTrue(lines.contains("ALL=IMAGINE stack #1 6"), "2 samples from each of 3 slices: " + out);
        assertTrue(lines.contains("ALLLABEL=z=2 seed=6"), out);
        assertTrue(out.contains("IMAGINE: cell.png: no ImageNet class fits the reference (its five likeliest classes hold "),
                out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("CELLJSON=") && l.contains("\"class_term\":false")
                && l.contains("\"fits\":false")), out);
        assertTrue(out.contains("IMAGINE demo: saved " + demoDir + "/imagine-demo-1.tif (2 samples)"), out);
        assertTrue(Files.size(demoDir.resolve("imagine-demo-1.tif")) > 2 * 224 * 224 * 3, "the demo saved both samples");
        var img = ImageIO.read(result.toFile());
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());
    }

    @Test
    void badMacroCallsStopTheMacroWithAMessage(@TempDir Path ij) throws Exception {
        Path models = TestModels.modelsDir();
        Path ijJar = installImageJ(ij);
        String open = "open(\"" + Path.of("sample-data/chelsea.png").toAbsolutePath() + "\");";
        String[][] cases = {
            {"width=64 height=48 itterations=5", "Unknown macro key 'itterations'"},
            {"width=-5 height=48 iterations=5", "width must be between 32 and 2048, got -5"},
            {"width=64 height=48 iterations=5 samples=10000", "samples must be"},
            {"width=64 height=48 iterations=5 model=resnet", "Unknown model 'resnet'"},
        };
        for (String[] c : cases) {
            Path macro = ij.resolve("bad" + c[0].hashCode() + ".ijm");
            Files.writeString(macro, String.join("\n", open,
                    "run(\"IMAGINE Synthesize...\", \"preset=fast " + c[0] + " models_folder=[" + models + "]\");",
                    "print(\"CONTINUED \" + getTitle());", ""));
            String out = runBatch(ij, ijJar, macro);
            assertTrue(out.contains("IMAGINE: " + c[1]), c[0] + ": " + out);
            assertTrue(!out.contains("CONTINUED") && !out.contains("Exception"), "the macro stops there, no stack trace: " + out);
        }
    }
}
