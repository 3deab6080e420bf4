package imagine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import imagine.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users call it: output format, files written, and bad input. */
class CliTest {

    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int code = Main.run(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String models() {
        return TestModels.modelsDir().toString();
    }

    @Test
    void classifyPrintsTopFiveTabSeparated() {
        Run r = run("classify", "--image", TestModels.image("bird.bmp").toString(), "--models-dir", models());
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());
        assertTrue(lines.get(0).matches("19\t0\\.9[89]\\d+\tchickadee"), lines.get(0));
        for (String l : lines) {
            assertTrue(l.matches("\\d+\t[01]\\.\\d{6}\t.+"), l);
        }
    }

    @Test
    void synthesizeWritesPngsAndSidecarAndNeverOverwrites(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String[] args = {"synthesize", "--reference", TestModels.image("chelsea.png").toString(), "--out", out.toString(),
            "--samples", "2", "--size", "64x48", "--iterations", "6", "--seed", "3", "--preset", "fast", "--models-dir",
            models(), "--quiet"};
        Run r = run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("chelsea-001-s3.png")));
        assertTrue(Files.isRegularFile(out.resolve("chelsea-001-s4.png")));
        var img = javax.imageio.ImageIO.read(out.resolve("chelsea-001-s3.png").toFile());
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());
        JsonObject json = sidecar(out, "chelsea-001.json");
        for (String key : List.of("model", "device", "target_class", "target_label", "samples", "final_losses",
                "timings_ms", "parameters", "cancelled", "reference", "preset")) {
            assertTrue(json.has(key), "sidecar has " + key + ": " + json);
        }
        assertEquals(3, json.getAsJsonArray("samples").get(0).getAsJsonObject().get("seed").getAsInt());
        assertEquals(6, json.getAsJsonObject("parameters").get("iterations").getAsInt());
        assertTrue(json.getAsJsonObject("final_losses").has("class"));
        long before = Files.getLastModifiedTime(out.resolve("chelsea-001-s3.png")).toMillis();

        Run again = run(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(Files.isRegularFile(out.resolve("chelsea-002-s3.png")), "second run is numbered");
        assertEquals(before, Files.getLastModifiedTime(out.resolve("chelsea-001-s3.png")).toMillis(), "first run untouched");
    }

    @Test
    void snapshotsShowEverySampleEveryNIterationsInAFolderOfTheirOwn(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String[] args = {"synthesize", "--reference", TestModels.image("chelsea.png").toString(), "--out", out.toString(),
            "--samples", "2", "--size", "64x48", "--iterations", "7", "--seed", "3", "--preset", "fast", "--snapshot-every",
            "3", "--models-dir", models(), "--quiet"};
        Run r = run(args);
        assertEquals(0, r.code(), r.err());
        Path snaps = out.resolve("chelsea-snapshots-001");
        assertTrue(r.out().contains(snaps.toAbsolutePath().toString()), r.out());
        try (Stream<Path> s = Files.list(snaps)) {
            assertEquals(List.of("s3-it00003.png", "s3-it00006.png", "s3-it00007.png", "s4-it00003.png", "s4-it00006.png",
                    "s4-it00007.png"), s.map(p -> p.getFileName().toString()).sorted().toList(), "every 3 and the last");
        }
        var img = javax.imageio.ImageIO.read(snaps.resolve("s4-it00007.png").toFile());
        assertEquals(64, img.getWidth());
        assertEquals(48, img.getHeight());
        assertTrue(Files.isRegularFile(out.resolve("chelsea-001-s3.png")), "the samples as always");

        Run again = run(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(Files.isRegularFile(out.resolve("chelsea-snapshots-002").resolve("s3-it00007.png")), "a new folder");
        try (Stream<Path> s = Files.list(snaps)) {
            assertEquals(6, s.count(), "the first run's snapshots untouched");
        }
    }

    @Test
    void aGrayReferenceGivesGrayPngs(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Run r = run(new String[] {"synthesize", "--reference", TestModels.image("camera.png").toString(), "--out",
            out.toString(), "--size", "48", "--iterations", "4", "--preset", "fast", "--models-dir", models(), "--quiet"});
        assertEquals(0, r.code(), r.err());
        var img = javax.imageio.ImageIO.read(out.resolve("camera-001-s0.png").toFile());
        assertEquals(java.awt.image.BufferedImage.TYPE_BYTE_GRAY, img.getType(), "a gray PNG, not RGB");
        JsonObject json = sidecar(out, "camera-001.json");
        assertEquals("gray", json.get("image_kind").getAsString());
    }

    @Test
    void aSixteenBitGrayReferenceGivesSixteenBitTiffsInItsRange(@TempDir Path dir) throws Exception {
        var camera = javax.imageio.ImageIO.read(TestModels.image("camera.png").toFile());
        int w = camera.getWidth();
        int h = camera.getHeight();
        var wide = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        int[] v = camera.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
        for (int i = 0; i < v.length; i++) {
            v[i] = 1000 + v[i] * 150; // 1000 .. 39250: a 16-bit micrograph's kind of range
        }
        wide.getRaster().setSamples(0, 0, w, h, 0, v);
        Path ref = dir.resolve("wide.png");
        javax.imageio.ImageIO.write(wide, "png", ref.toFile());
        int lo = java.util.Arrays.stream(v).min().orElseThrow();
        int hi = java.util.Arrays.stream(v).max().orElseThrow();
        Path out = dir.resolve("out");
        Run r = run(new String[] {"synthesize", "--reference", ref.toString(), "--out", out.toString(), "--size", "48",
            "--iterations", "4", "--preset", "fast", "--models-dir", models(), "--quiet"});
        assertEquals(0, r.code(), r.err());
        var tif = javax.imageio.ImageIO.read(out.resolve("wide-001-s0.tif").toFile());
        assertEquals(16, tif.getColorModel().getComponentSize(0), "16-bit samples");
        assertEquals(1, tif.getRaster().getNumBands(), "one gray band");
        int[] s = tif.getRaster().getSamples(0, 0, 48, 48, 0, (int[]) null);
        assertTrue(java.util.Arrays.stream(s).allMatch(x -> x >= lo && x <= hi), "within the reference's range");
        assertTrue(java.util.Arrays.stream(s).max().orElseThrow() - java.util.Arrays.stream(s).min().orElseThrow() > 1000,
                "spread over it, not squeezed into 8 bits");
        JsonObject json = sidecar(out, "wide-001.json");
        assertEquals(16, json.get("bit_depth").getAsInt());
        assertEquals(lo, json.getAsJsonArray("value_range").get(0).getAsInt());
        assertEquals(hi, json.getAsJsonArray("value_range").get(1).getAsInt());
        assertEquals("wide-001-s0.tif", json.getAsJsonArray("samples").get(0).getAsJsonObject().get("file").getAsString());
    }

    @Test
    void aMicrographNoClassFitsIsMadeWithoutTheClassTermUnlessAClassIsAskedFor(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        String cell = TestModels.image("cell.png").toString();
        String[] common = {"synthesize", "--reference", cell, "--out", out.toString(), "--size", "48", "--iterations", "4",
            "--preset", "fast", "--models-dir", models(), "--quiet"};
        // Class -1 (the default): the cell's five likeliest classes hold 0.75, so no class fits and the term is off.
        Run auto = run(common);
        assertEquals(0, auto.code(), auto.err());
        assertTrue(auto.err().contains("Note: no ImageNet class fits the reference") && auto.err().contains("--class"),
                auto.err());
        JsonObject json = sidecar(out, "cell-001.json");
        assertEquals(false, json.get("class_term").getAsBoolean());
        assertEquals(0.0, json.getAsJsonObject("parameters").get("class_weight").getAsDouble());
        assertTrue(!json.getAsJsonObject("final_losses").has("class"), "no class term evaluated: " + json);
        JsonObject fit = json.getAsJsonObject("class_fit");
        assertEquals(false, fit.get("fits").getAsBoolean());
        assertEquals(0.75, fit.get("top5_share").getAsDouble(), 0.03, "measured: cell 0.752");
        assertEquals(-1, json.getAsJsonObject("parameters").get("target_class").getAsInt(), "what was asked is kept");
        // class_fit_share 0 steers it towards its top-1 anyway (ping-pong ball), as before the fallback.
        Run steered = run(concat(common, "--set", "class_fit_share=0"));
        assertEquals(0, steered.code(), steered.err());
        assertTrue(!steered.err().contains("no ImageNet class fits"), steered.err());
        JsonObject s = sidecar(out, "cell-002.json");
        assertEquals(true, s.get("class_term").getAsBoolean());
        assertTrue(s.getAsJsonObject("final_losses").has("class"), s.toString());
        // A class named by the user is steered to, fit or not; none is the class-free run without a fit reading.
        Run named = run(concat(common, "--class", "722"));
        assertEquals(0, named.code(), named.err());
        assertEquals(true, sidecar(out, "cell-003.json").get("class_term").getAsBoolean());
        assertTrue(!sidecar(out, "cell-003.json").has("class_fit"));
        Run none = run(concat(common, "--class", "none"));
        assertEquals(0, none.code(), none.err());
        assertTrue(!none.err().contains("no ImageNet class fits"), none.err());
        assertEquals(false, sidecar(out, "cell-004.json").get("class_term").getAsBoolean());
        assertTrue(!sidecar(out, "cell-004.json").has("class_fit"));
    }

    @Test
    void aPhotoWhoseClassFitsKeepsTheClassTerm(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Run r = run("synthesize", "--reference", TestModels.image("bird.bmp").toString(), "--out", out.toString(), "--size",
                "48", "--iterations", "4", "--preset", "fast", "--models-dir", models(), "--quiet");
        assertEquals(0, r.code(), r.err());
        assertTrue(!r.err().contains("no ImageNet class fits"), r.err());
        JsonObject json = sidecar(out, "bird-001.json");
        assertEquals(true, json.get("class_term").getAsBoolean());
        assertEquals(true, json.getAsJsonObject("class_fit").get("fits").getAsBoolean());
        assertEquals(19, json.get("target_class").getAsInt(), "chickadee");
    }

    private static JsonObject sidecar(Path out, String name) throws java.io.IOException {
        return JsonParser.parseString(Files.readString(out.resolve(name))).getAsJsonObject();
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void doctorExitsNonZeroOnADamagedModelAndClassifyRefusesIt(@TempDir Path dir) throws Exception {
        Path src = Path.of(models()).resolve("mobilenet_v1_0.75_224");
        Path copy = Files.createDirectories(dir.resolve("mobilenet_v1_0.75_224"));
        try (var files = Files.list(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Run fine = run("doctor", "--models-dir", dir.toString());
        assertEquals(0, fine.code(), fine.out() + fine.err());
        Path shard = copy.resolve("group1-shard1of1");
        byte[] b = Files.readAllBytes(shard);
        b[100] ^= 1;
        b[101] ^= 1;
        b[102] ^= 1;
        Files.write(shard, b);
        Run doctor = run("doctor", "--models-dir", dir.toString());
        assertEquals(1, doctor.code(), doctor.out());
        assertTrue(doctor.out().contains("DAMAGED") && doctor.out().contains("PROBLEMS (1)"), doctor.out());
        Run classify = run("classify", "--image", TestModels.image("bird.bmp").toString(), "--models-dir", dir.toString());
        assertEquals(2, classify.code(), classify.err());
        assertTrue(classify.err().contains("damaged") && classify.err().lines().count() == 1, classify.err());
    }

    @Test
    void badInputExitsTwoWithOneLineAndWritesNothing(@TempDir Path dir) throws Exception {
        Path notImage = dir.resolve("notes.txt");
        Files.writeString(notImage, "hello");
        String ref = TestModels.image("chelsea.png").toString();
        String horse = TestModels.image("horse.png").toString();
        Path blackDir = Files.createTempDirectory("imagine-black");
        Path black = blackDir.resolve("black.png");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(451, 300, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png", black.toFile());
        black.toFile().deleteOnExit();
        blackDir.toFile().deleteOnExit();
        String m = models();
        List<String[]> cases = List.of(
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--target-box", "300,300,10,10", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--target-box", "1,2,3", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--target-box", "220,0,50,50", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--object-mask", horse, "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--object-mask", black.toString(), "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--target-mask", horse, "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--target-mask", "nofile.png", "--models-dir", m},
                new String[] {"synthesize", "--reference", notImage.toString(), "--out", "OUT", "--models-dir", m},
                new String[] {"synthesize", "--reference", dir.resolve("missing.png").toString(), "--out", "OUT", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--models-dir", dir.resolve("nomodels").toString()},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--size", "0", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--size", "100000", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--size", "abc", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--samples", "0", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--preset", "best", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--class", "5000", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--class", "cat", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--class", "zzz", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--model", "nonet", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--set", "feature_weight=NaN", "--models-dir", m},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--iterations", "x"},
                new String[] {"synthesize", "--reference", ref, "--out", "OUT", "--snapshot-every", "0", "--models-dir", m},
                new String[] {"classify", "--image", notImage.toString(), "--models-dir", m});
        for (String[] c : cases) {
            String[] args = c.clone();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("OUT")) {
                    args[i] = dir.resolve("out").toString();
                }
            }
            Run r = run(args);
            String what = String.join(" ", c);
            assertEquals(2, r.code(), what + "\n" + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\tat "), "no stack trace: " + err);
            assertTrue(err.startsWith("imagine: "), what + ": " + err);
            assertTrue(err.lines().count() <= 2, what + ": " + err);
            assertFalse(Files.exists(dir.resolve("out")), what + " wrote nothing");
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "only the text file is in the folder");
        }
    }

    @Test
    void doctorReportsEngineAndModels() {
        Run r = run("doctor", "--models-dir", models());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("engine: PyTorch 2.7.1"), r.out());
        assertTrue(r.out().contains("model mobilenet_v1_0.75_224: present"), r.out());
        // Downloads stay off unless ai.djl.offline=false is given: the report says so and how to turn them on.
        assertTrue(r.out().contains("downloads: off"), r.out());
    }

    @Test
    void aRunBeyondTheMemoryLimitIsRefusedWithWhatFits(@TempDir Path dir) throws Exception {
        // The cap counts the whole process, and this test JVM already holds other tests' models: the cap is
        // what it holds plus 2 GiB, far below what a 1024 px run with 8 samples takes (about 3.5 GiB) but
        // enough for fewer samples. One line, exit 2, nothing written.
        String cap = ((residentBytes() >> 20) + 2048) + "m";
        System.setProperty("imagine.memory.limit", cap);
        Run r;
        try {
            r = run("synthesize", "--reference", TestModels.image("chelsea.png").toString(), "--out",
                    dir.resolve("out").toString(), "--size", "1024", "--samples", "8", "--models-dir", models());
        } finally {
            System.clearProperty("imagine.memory.limit");
        }
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("imagine:")).count(), r.err());
        assertTrue(r.err().contains("A 1024x1024 output with 8 sample(s) needs about")
                && r.err().contains("the limit imagine.memory.limit=" + cap) && r.err().contains("What fits:")
                && r.err().contains("1024x1024 with "), r.err());
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void debugShowsTheStackTrace(@TempDir Path dir) {
        Run r = run("classify", "--image", dir.resolve("none.png").toString(), "--debug");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    /** This JVM's resident memory in bytes, read as the admission reads it. */
    private static long residentBytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
