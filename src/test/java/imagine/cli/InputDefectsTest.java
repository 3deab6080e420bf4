package imagine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects an outside attack found (issue 21), each refused before any work with one line
 * that says what to do: exit 2, nothing written. Before, each ran to the end or failed late.
 */
class InputDefectsTest {

    record Case(String expect, String... args) {}

    @Test
    void refusedAtOnceWithOneLine(@TempDir Path dir) throws Exception {
        String ref = TestModels.image("chelsea.png").toString();
        String m = TestModels.modelsDir().toString();
        Path afile = Files.writeString(dir.resolve("afile"), "x");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        byte[] jpeg = Files.readAllBytes(TestModels.image("retina.jpg"));
        Path half = Files.write(dir.resolve("half.jpg"), java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        Path list = Files.writeString(dir.resolve("list.txt"), dir + "\n");
        String out = dir.resolve("out").toString();
        List<Case> cases = List.of(
                new Case("--out is empty", "synthesize", "--reference", ref, "--out", "", "--models-dir", m),
                new Case("cannot be made", "synthesize", "--reference", ref, "--out", afile + "/sub", "--models-dir", m),
                new Case("broken symbolic link", "synthesize", "--reference", ref, "--out", dangling.toString(),
                        "--models-dir", m),
                new Case("cannot be written", "synthesize", "--reference", ref, "--out", "/proc/imagine-out",
                        "--models-dir", m),
                new Case("is a file", "bench", "--out", afile.toString(), "--sizes", "64", "--models-dir", m),
                new Case("is a file, not a folder", "evidence", "--image", ref, "--class", "285", "--map",
                        afile + "/map.png", "--models-dir", m),
                new Case("beyond +-65536", "synthesize", "--reference", ref, "--out", out, "--target-box",
                        "10,10,2147483647,2147483647", "--models-dir", m),
                new Case("beyond +-65536", "synthesize", "--reference", ref, "--out", out, "--object-mask",
                        TestModels.image("horse.png").toString(), "--target-box", "0,0,2147483647,2147483647",
                        "--models-dir", m),
                new Case("damaged (Truncated File", "synthesize", "--reference", half.toString(), "--out", out,
                        "--models-dir", m),
                new Case("tap_weights has 2 weight(s) for 4", "synthesize", "--reference", ref, "--out", out, "--set",
                        "tap_weights=1,2", "--models-dir", m),
                new Case("tap_weights needs at least one number", "synthesize", "--reference", ref, "--out", out,
                        "--set", "tap_weights=", "--models-dir", m),
                new Case("lists 'conv1_relu' twice", "synthesize", "--reference", ref, "--out", out, "--set",
                        "taps=conv1_relu,conv1_relu", "--models-dir", m),
                new Case("seed must be between", "synthesize", "--reference", ref, "--out", out, "--seed",
                        "9223372036854775807", "--samples", "2", "--models-dir", m),
                new Case("threads must be between 1 and", "classify", "--image", ref, "--threads", "1024",
                        "--models-dir", m),
                new Case("windows, one network pass each", "evidence", "--image", ref, "--class", "285", "--window", "8",
                        "--stride", "1", "--models-dir", m),
                new Case("is an image; give a folder", "batch", "--references", ref, "--out", out, "--models-dir", m),
                new Case("a folder; name image files", "batch", "--references", list.toString(), "--out", out,
                        "--models-dir", m));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            CliTest.Run r = CliTest.run(c.args());
            String err = r.err().strip();
            String what = String.join(" ", c.args());
            if (r.code() != 2 || !err.contains(c.expect()) || err.lines().count() != 1 || !err.startsWith("imagine: ")) {
                failures.add(what + " -> exit " + r.code() + ": " + err);
            }
            assertFalse(Files.exists(dir.resolve("out")), what + " wrote nothing");
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /** The second outside attack's findings (issue 21): each refused before work, with one line. */
    @Test
    void theSecondAttacksFindingsAreRefusedAtOnce(@TempDir Path dir) throws Exception {
        String ref = TestModels.image("chelsea.png").toString();
        String m = TestModels.modelsDir().toString();
        String out = dir.resolve("out").toString();
        Path afile = Files.writeString(dir.resolve("afile"), "x");
        Path folderPng = Files.createDirectories(dir.resolve("dir.png"));
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.copy(TestModels.image("chelsea.png"), images.resolve("chelsea.png"));
        var dot = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        dot.getRaster().setSample(30, 30, 0, 255);
        Path dotMask = dir.resolve("dot.png");
        javax.imageio.ImageIO.write(dot, "png", dotMask.toFile());
        String longName = dir.resolve("a".repeat(300)).toString();
        List<Case> cases = List.of(
                new Case("cannot be written (File name too long", "synthesize", "--reference", ref, "--out", longName,
                        "--models-dir", m),
                new Case("cannot be written (File name too long", "bench", "--out", longName, "--sizes", "64",
                        "--models-dir", m),
                new Case("cannot be written (File name too long", "evidence", "--image", ref, "--class", "285", "--map",
                        longName + ".png", "--models-dir", m),
                new Case("give a name ending in .png", "evidence", "--image", ref, "--class", "285", "--map",
                        dir.resolve("m.jpg").toString(), "--models-dir", m),
                new Case("lists a class twice", "evidence", "--image", ref, "--class", "285,285", "--models-dir", m),
                new Case("--threshold must lie strictly between 0 and 1", "evidence", "--image", ref, "--class", "285",
                        "--threshold", "1", "--models-dir", m),
                new Case("lists full twice", "report", "--images", images.toString(), "--out", out, "--methods",
                        "full,full", "--models-dir", m),
                new Case("is the references folder", "batch", "--references", images.toString(), "--out",
                        images.toString(), "--models-dir", m),
                new Case("The target box 300,300,10,10 lies outside", "batch", "--references", images.toString(), "--out",
                        out, "--target-box", "300,300,10,10", "--models-dir", m),
                new Case("spans only 1x1 pixels", "synthesize", "--reference", ref, "--out", out, "--size", "64",
                        "--target-mask", dotMask.toString(), "--models-dir", m),
                new Case("need images of at least 26 px", "synthesize", "--reference", ref, "--out", out, "--size", "32",
                        "--set", "adversarial_weight=0.1", "--set", "disc_layers=12", "--models-dir", m),
                new Case("Every loss weight is 0", "synthesize", "--reference", ref, "--out", out, "--class", "none",
                        "--set", "feature_weight=0", "--set", "tv_l2_weight=0", "--set", "l2_weight=0", "--set",
                        "palette_weight=0", "--models-dir", m),
                new Case("--class is empty", "synthesize", "--reference", ref, "--out", out, "--class=", "--models-dir", m),
                new Case("--sizes and --samples each need at least one number", "bench", "--sizes", ",", "--models-dir", m),
                new Case("is a folder, not an image file", "classify", "--image", folderPng.toString(), "--models-dir", m),
                new Case("is not a regular file", "classify", "--image", "/dev/null", "--models-dir", m));
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            CliTest.Run r = CliTest.run(c.args());
            String err = r.err().strip();
            if (r.code() != 2 || !err.contains(c.expect()) || err.lines().count() != 1 || !err.startsWith("imagine: ")) {
                failures.add(String.join(" ", c.args()) + " -> exit " + r.code() + ": " + err);
            }
            assertFalse(Files.exists(dir.resolve("out")), String.join(" ", c.args()) + " wrote nothing");
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        CliTest.Run doctor = CliTest.run("doctor", "--models-dir", afile.toString());
        assertEquals(1, doctor.code(), doctor.out());
        assertTrue(doctor.out().contains("is a file, not a folder"), doctor.out());
        System.setProperty("imagine.memory.limit", "-5g");
        try {
            CliTest.Run neg = CliTest.run("synthesize", "--reference", ref, "--out", out, "--size", "32", "--models-dir", m);
            assertEquals(2, neg.code(), neg.err());
            assertTrue(neg.err().contains("imagine.memory.limit must be a positive size"), neg.err());
        } finally {
            System.clearProperty("imagine.memory.limit");
        }
    }

    @Test
    void aStrayTemporaryDoesNotFailTheNextRunAndIsNotTouched(@TempDir Path dir) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.writeString(out.resolve(".chelsea-001-s0.png.part"), "left by someone");
        CliTest.Run r = CliTest.run("synthesize", "--reference", TestModels.image("chelsea.png").toString(), "--out",
                out.toString(), "--size", "32", "--iterations", "2", "--preset", "fast", "--quiet", "--models-dir",
                TestModels.modelsDir().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("chelsea-001-s0.png")));
        assertEquals("left by someone", Files.readString(out.resolve(".chelsea-001-s0.png.part")), "not this program's file");
    }

    @Test
    void thePaletteAloneIsSomethingToOptimize(@TempDir Path dir) throws Exception {
        CliTest.Run r = CliTest.run("synthesize", "--reference", TestModels.image("chelsea.png").toString(), "--out",
                dir.resolve("out").toString(), "--class", "none", "--size", "32", "--iterations", "2", "--quiet", "--set",
                "feature_weight=0", "--set", "tv_l2_weight=0", "--set", "l2_weight=0", "--set", "palette_weight=1000",
                "--models-dir", TestModels.modelsDir().toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void aByteOrderMarkInAListIsNotPartOfTheName(@TempDir Path dir) throws Exception {
        Path img = Files.copy(TestModels.image("chelsea.png"), dir.resolve("a.png"));
        Path list = Files.writeString(dir.resolve("bom.txt"), "\uFEFFa.png\n");
        assertEquals(List.of(img), imagine.batch.References.of(list));
    }

    @Test
    void theCauseOfAnIoErrorIsNamed() {
        var e = new java.io.UncheckedIOException("Cannot write to /x", new java.io.IOException("I/O error writing PNG file!",
                new java.io.IOException("No space left on device")));
        assertEquals("No space left on device", imagine.batch.Writable.reason(e));
    }

    @Test
    void aListNamingAFileTwiceMakesItOnce(@TempDir Path dir) throws Exception {
        Path img = Files.copy(TestModels.image("chelsea.png"), dir.resolve("a.png"));
        Path list = Files.writeString(dir.resolve("list.txt"), "a.png\n" + img + "\n./a.png\n");
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            assertEquals(List.of(img), imagine.batch.References.of(list));
        } finally {
            System.setErr(old);
        }
        assertTrue(err.toString().contains("names 2 image(s) more than once"), err.toString());
    }
}
