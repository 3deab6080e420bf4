package imagine.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import imagine.TestModels;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dialogs and messages as a user meets them in real ImageJ on a 1600x1000 virtual screen with
 * a window manager (see {@link DialogsDriver}): no window wider than 800 px, errors before work
 * where they can be known, typed values kept, class choice by suggestion and name, micrographs
 * offered "none", result windows named, zoomed and placed. Screenshots go to
 * target/screenshots/dialogs (look at them).
 */
class DialogsIT {

    @Test
    void dialogsAsAUserMeetsThem(@TempDir Path ij) throws Exception {
        imagine.TestTools.requireXvfb();
        Path models = TestModels.modelsDir();
        ImageJMacroIT.installImageJ(ij);
        Path shots = Files.createDirectories(Path.of("target/screenshots/dialogs").toAbsolutePath());
        String cp = Path.of("target/test-classes").toAbsolutePath() + File.pathSeparator
                + Path.of("target/lib").toAbsolutePath() + File.separator + "*";
        String java = "java -Xmx2g -Duser.home=" + ij + " -cp '" + cp + "' " + DialogsDriver.class.getName() + " " + ij
                + " " + models + " " + shots + " " + Path.of("sample-data/chelsea.png").toAbsolutePath() + " "
                + Path.of("sample-data/cell.png").toAbsolutePath();
        // A window manager when one is installed (provisioned with the tests): windows get frames, as on a desktop.
        String wm = "command -v openbox >/dev/null && (openbox >/dev/null 2>&1 &) && sleep 1; ";
        Path log = ij.resolve("dialogs.log");
        Process p = new ProcessBuilder("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "sh", "-c", wm + java)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(420, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("the dialog run did not finish in 7 minutes: " + Files.readString(log));
        }
        String out = Files.readString(log);
        assertTrue(out.contains("DONE"), out);
        Map<String, int[]> windows = new LinkedHashMap<>();
        Matcher m = Pattern.compile("WINDOW (\\S+) (\\d+)x(\\d+)").matcher(out);
        while (m.find()) {
            windows.put(m.group(1), new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
        }
        for (String dialog : new String[] {"error-missing-model", "synthesize-dialog-photo", "error-unknown-class",
            "synthesize-dialog-micrograph", "error-position-no-targets", "shape-dialog", "error-shape-no-mask",
            "settings-dialog"}) {
            int[] wh = windows.get(dialog);
            assertTrue(wh != null, "measured " + dialog + ": " + out);
            assertTrue(wh[0] <= 800, dialog + " is " + wh[0] + " px wide: " + out);
            assertTrue(wh[1] <= 700, dialog + " is " + wh[1] + " px high (a 768 px laptop screen): " + out);
            assertTrue(Files.size(shots.resolve(dialog + ".png")) > 1000, "screenshot of " + dialog);
        }
        assertEquals("-1", check(out, "class-default"), "a photo of a cat: the reference's class");
        assertTrue(check(out, "class-suggestions").contains("285 Egyptian cat"), out);
        assertTrue(check(out, "class-suggestions").contains("none"), out);
        assertEquals("mobilenet_v1_0.75_224", check(out, "models-listed"), "only the installed model");
        assertEquals("zzz no such class width=64", check(out, "typed-values-kept"));
        assertEquals("IMAGINE chelsea.png #1", check(out, "result-title"));
        assertTrue(check(out, "result-beside").matches("(right|left) of the reference"), out);
        assertTrue(check(out, "info-target-class").matches("target_class = 281 \\(tabby.*"), "one target_class, "
                + "the one picked by name: " + out);
        assertTrue(check(out, "preview").startsWith("IMAGINE preview of chelsea.png #1"), out);
        assertEquals("-1", check(out, "micrograph-class-default"));
        assertEquals("says no class fits", check(out, "micrograph-note"));
        assertEquals("choose... | none: no class, the reference's look only", check(out, "micrograph-suggestions"),
                "no ImageNet label offered as if it named what a micrograph shows");
        assertTrue(check(out, "micrograph-result").startsWith("8-bit 64x64"), out);
        assertTrue(check(out, "micrograph-result").contains("class term off"), out);
        assertTrue(check(out, "shape-mask-default").startsWith(ShapeControlPlugin.CHOOSE), out);
        assertEquals("says to open a mask", check(out, "shape-no-mask-open"), "photos and results are no masks: " + out);
        assertEquals(ShapeControlPlugin.CHOOSE + " | oval-mask", check(out, "shape-mask-items"), "masks only: " + out);
        assertEquals("IMAGINE Shape Control", check(out, "shape-dialog-again"));
        assertTrue(check(out, "settings-text").contains("mobilenet_v1_0.75_224"), out);
        assertTrue(check(out, "kind-16bit").matches("16-bit 1ch lut=same unit=\\S*m range=.*"), out);
        // The reference is shown to the classifier at the output's area: 96x96 from 550x660 is 0.1778 of its scale.
        double scale = imagine.core.SampleScale.of(550, 660, null, 96, 96);
        assertEquals(String.format(Locale.ROOT, "%.4f", 0.65 / scale), check(out, "kind-16bit-pixel"), out);
        assertTrue(check(out, "kind-composite").startsWith("8-bit 3ch composite=true"), out);
        assertEquals("16-bit", check(out, "preview-kind-cell-16bit"), "the live preview in the reference's kind: " + out);
        assertTrue(check(out, "kind-beside-cell-16bit").matches("(right|left) of the reference"), out);
        assertTrue(check(out, "kind-beside-chelsea-composite").matches("(right|left) of the reference"), out);
        for (String shot : new String[] {"kind-16bit-beside-reference", "kind-composite-beside-reference"}) {
            assertTrue(Files.size(shots.resolve(shot + ".png")) > 1000, "screenshot " + shot);
        }
        assertTrue(!check(out, "settings-text").contains("PYTORCH_FLAVOR"), "no engine internals up front: " + out);
        Matcher zoom = Pattern.compile("CHECK result-zoom=(\\S+) shown (\\d+)x(\\d+), reference shown (\\d+)x(\\d+)")
                .matcher(out);
        assertTrue(zoom.find(), out);
        assertTrue(Math.max(Integer.parseInt(zoom.group(2)), Integer.parseInt(zoom.group(3)))
                >= Math.max(Integer.parseInt(zoom.group(4)), Integer.parseInt(zoom.group(5))),
                "the samples look at least as large as the reference: " + zoom.group());
        System.out.println(out);
    }

    private static String check(String out, String name) {
        Matcher m = Pattern.compile("CHECK " + Pattern.quote(name) + "=(.*)").matcher(out);
        return m.find() ? m.group(1) : "(missing " + name + ")";
    }
}
