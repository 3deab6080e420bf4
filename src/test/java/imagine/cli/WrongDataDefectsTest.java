package imagine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import imagine.TestModels;
import imagine.batch.Images;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong data is never presented as right, and the smaller defects of the second outside attack:
 * each refused with one line that says what to do, or handled as the user expects.
 */
class WrongDataDefectsTest {

    /** A 32-bit float gray TIFF of {@code w x h} with values from {@code lo} to {@code hi} (a gradient), NaN at {@code nan}. */
    static Path floatTiff(Path file, int w, int h, float lo, float hi, int nan) throws Exception {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        WritableRaster r = cm.createCompatibleWritableRaster(w, h);
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * ((i % w) + (i / w)) / (w + h - 2f);
        }
        if (nan >= 0) {
            v[nan] = Float.NaN;
        }
        r.setSamples(0, 0, w, h, 0, v);
        assertTrue(ImageIO.write(new BufferedImage(cm, r, false, null), "tiff", file.toFile()));
        return file;
    }

    static Path png(Path file, int w, int h) throws Exception {
        assertTrue(ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", file.toFile()));
        return file;
    }

    @Test
    void aFloatTiffIsReadThroughItsValueRangeAndItsSamplesComeBackAsFloat(@TempDir Path dir) throws Exception {
        Path tif = floatTiff(dir.resolve("float.tif"), 64, 48, 0.01f, 0.76f, -1);
        Images.Reference ref = Images.readReference(tif);
        assertTrue(ref.wide().floating());
        assertEquals(0.01, ref.wide().min(), 1e-6);
        assertEquals(0.76, ref.wide().max(), 1e-6);
        double mean = 0;
        for (float p : ref.image().planes()) {
            mean += p / ref.image().planes().length;
        }
        assertEquals(0.5, mean, 0.05, "stretched from its smallest to its largest value, not read as black");

        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("synthesize", "--reference", tif.toString(), "--out", out.toString(), "--size", "32",
                "--iterations", "3", "--preset", "fast", "--quiet", "--models-dir", TestModels.modelsDir().toString());
        assertEquals(0, r.code(), r.err());
        BufferedImage sample = ImageIO.read(out.resolve("float-001-s0.tif").toFile());
        assertEquals(DataBuffer.TYPE_FLOAT, sample.getRaster().getDataBuffer().getDataType());
        for (double v : sample.getRaster().getSamples(0, 0, 32, 32, 0, (double[]) null)) {
            assertTrue(v >= 0.01 - 1e-6 && v <= 0.76 + 1e-6, "a sample value " + v + " outside the reference's range");
        }
        JsonObject side = JsonParser.parseString(Files.readString(out.resolve("float-001.json"))).getAsJsonObject();
        assertEquals(32, side.get("bit_depth").getAsInt());
        assertEquals(0.76, side.getAsJsonArray("value_range").get(1).getAsDouble(), 1e-6);
    }

    @Test
    void nanInAFloatTiffIsRefusedWithWhatToDo(@TempDir Path dir) throws Exception {
        Path tif = floatTiff(dir.resolve("nan.tif"), 40, 40, 0f, 1f, 17);
        CliTest.Run r = CliTest.run("synthesize", "--reference", tif.toString(), "--out", dir.resolve("out").toString(),
                "--models-dir", TestModels.modelsDir().toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("1 NaN or infinite value(s)") && r.err().contains("Remove NaNs"), r.err());
        assertFalse(Files.exists(dir.resolve("out").resolve("nan-001.json")));
    }

    /** A copy of the default model's folder (its weights linked, not copied) under {@code id}, with these changes. */
    static Path modelCopy(Path models, String id) throws Exception {
        Path src = TestModels.modelsDir().resolve(imagine.model.ModelSpec.DEFAULT_ID);
        Path dst = Files.createDirectories(models.resolve(id));
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : s.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    @Test
    void labelsShiftedByOneAreRefusedByClassifyAndByDoctor(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        Path m = modelCopy(models, imagine.model.ModelSpec.DEFAULT_ID);
        JsonObject meta = JsonParser.parseString(Files.readString(m.resolve("metadata.json"))).getAsJsonObject();
        var labels = meta.getAsJsonArray("labels");
        var first = labels.remove(0);
        labels.add(first); // every label one place off
        Files.writeString(m.resolve("metadata.json"), meta.toString());
        CliTest.Run c = CliTest.run("classify", "--image", TestModels.image("chelsea.png").toString(), "--models-dir",
                models.toString());
        assertEquals(2, c.code(), c.out());
        assertTrue(c.err().contains("names class 0") && c.err().contains("Delete metadata.json"), c.err());
        assertEquals(1, CliTest.run("doctor", "--models-dir", models.toString()).code());
    }

    @Test
    void doctorReportsAModelFolderThatClassifyRefuses(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        modelCopy(models, imagine.model.ModelSpec.DEFAULT_ID);
        // A model id the catalog pins no checksums for, whose manifest names a file outside its folder.
        Path other = modelCopy(models, "mobilenet_v1_1.0_224");
        String json = Files.readString(other.resolve("model.json")).replaceFirst("\"group1-shard1of1\"", "\"../../etc/passwd\"");
        Files.writeString(other.resolve("model.json"), json);
        CliTest.Run d = CliTest.run("doctor", "--models-dir", models.toString());
        assertEquals(1, d.code(), d.out());
        assertTrue(d.out().contains("mobilenet_v1_1.0_224:"), d.out());
        CliTest.Run c = CliTest.run("classify", "--image", TestModels.image("chelsea.png").toString(), "--models-dir",
                models.toString(), "--model", "mobilenet_v1_1.0_224");
        assertEquals(2, c.code(), c.err());
    }

    @Test
    void aModelNamedInSetIsRefused(@TempDir Path dir) {
        CliTest.Run r = CliTest.run("synthesize", "--reference", TestModels.image("chelsea.png").toString(), "--out",
                dir.resolve("out").toString(), "--set", "model=../../etc", "--models-dir", TestModels.modelsDir().toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--set model is not an engine setting: choose the model with --model"), r.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void controlCharactersNeverReachTheTerminal() {
        String name = "x\u001b]0;owned\u0007\u001b[2J\u009bfake.png";
        CliTest.Run r = CliTest.run("classify", "--image", "/nonexistent/" + name);
        assertEquals(2, r.code());
        assertFalse(r.err().contains("\u001b") || r.err().contains("\u0007") || r.err().contains("\u009b"), r.err());
        assertTrue(r.err().contains("x?]0;owned??[2J?fake.png"), r.err());
        assertEquals("a?b\tc\n", PrintableOutput.printable("a\u0085b\tc\n"));
        CliTest.Run bidi = CliTest.run("classify", "--image", "/nonexistent/evil\u202Egnp.exe");
        assertTrue(bidi.err().contains("evil?gnp.exe") && !bidi.err().contains("\u202E"), bidi.err());
    }

    @Test
    void scoreRefusesSamplesTooSmallToMeasureAndAnExistingMapBeforeAnyWork(@TempDir Path dir) throws Exception {
        String ref = TestModels.image("chelsea.png").toString();
        for (int[] wh : new int[][] {{1, 1}, {5000, 1}}) {
            Path tiny = png(dir.resolve("s" + wh[0] + ".png"), wh[0], wh[1]);
            CliTest.Run r = CliTest.run("score", "--reference", ref, tiny.toString(), "--models-dir",
                    TestModels.modelsDir().toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("score needs images of at least 32x32"), r.err());
        }
        Path sample = png(dir.resolve("a.png"), 64, 64);
        Path maps = Files.createDirectories(dir.resolve("maps"));
        Files.writeString(maps.resolve("a-measures.png"), "mine");
        long t0 = System.nanoTime();
        CliTest.Run r = CliTest.run("score", "--reference", ref, sample.toString(), "--maps", maps.toString(),
                "--models-dir", TestModels.modelsDir().toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("already exists"), r.err());
        assertTrue(r.out().isEmpty(), "refused before any score is printed: " + r.out());
        assertEquals("mine", Files.readString(maps.resolve("a-measures.png")));
        assertTrue(System.nanoTime() - t0 < 5e9, "refused before the model loads");
    }

    @Test
    void classifyIntoAFullDiskFails() throws Exception {
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream full = new PrintStream(new FileOutputStream("/dev/full"), false)) {
            System.setOut(full);
            System.setErr(new PrintStream(err, true));
            int code = Main.run("classify", "--image", TestModels.image("chelsea.png").toString(), "--models-dir",
                    TestModels.modelsDir().toString());
            assertEquals(1, code);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("the output could not be written"), err.toString());
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    @Test
    void evidenceRefusesAWindowLargerThanTheImage() {
        CliTest.Run r = CliTest.run("evidence", "--image", TestModels.image("chelsea.png").toString(), "--class", "285",
                "--window", "100000", "--models-dir", TestModels.modelsDir().toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--window 100000 is larger than the 451x300 image; give at most its shorter side, 300 px"),
                r.err());
    }

    @Test
    void aMemoryLimitRefusesAHugeImageBeforeReadingIt(@TempDir Path dir) throws Exception {
        // A PNG whose header says 9990x9990 (its pixel data is never read): refused from the header alone.
        Path big = dir.resolve("big.png");
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        byte[] ihdr = java.nio.ByteBuffer.allocate(13).putInt(9990).putInt(9990).put((byte) 8).put((byte) 2).put((byte) 0)
                .put((byte) 0).put((byte) 0).array();
        head.write(chunk("IHDR", ihdr));
        head.write(chunk("IDAT", new byte[] {0x78, (byte) 0x9c}));
        Files.write(big, head.toByteArray());
        System.setProperty("imagine.memory.limit", "1g");
        try {
            CliTest.Run r = CliTest.run("synthesize", "--reference", big.toString(), "--out", dir.resolve("out").toString(),
                    "--models-dir", TestModels.modelsDir().toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("is 9990x9990 pixels and needs about") && r.err().contains("imagine.memory.limit=1g"),
                    r.err());
        } finally {
            System.clearProperty("imagine.memory.limit");
        }
    }

    private static byte[] chunk(String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        crc.update(t);
        crc.update(data);
        return java.nio.ByteBuffer.allocate(12 + data.length).putInt(data.length).put(t).put(data).putInt((int) crc.getValue())
                .array();
    }

    @Test
    void aBatchTurnsALinkLoopIntoAFailedRowThatSaysSo(@TempDir Path dir) throws Exception {
        Path refs = Files.createDirectories(dir.resolve("refs"));
        Files.createSymbolicLink(refs.resolve("loop.png"), refs.resolve("loop.png"));
        List<Path> found = imagine.batch.References.of(refs);
        assertEquals(List.of(refs.resolve("loop.png")), found, "not skipped without a word");
        var row = new imagine.batch.ReferenceRunner(imagine.config.ImagineConfig.defaults(), imagine.controls.Controls.none(),
                dir.resolve("out"), (p, pl) -> java.util.Map.of()).run(null, refs.resolve("loop.png"),
                imagine.core.ProgressListener.NONE, new imagine.core.CancellationToken());
        assertEquals(imagine.batch.Manifest.Status.FAILED, row.status());
        assertTrue(row.error().contains("symbolic link to nothing (or to itself)"), row.error());
    }

    @Test
    void aHugeSparseWeightFileIsRefusedWithoutReadingIt(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        Path m = modelCopy(models, imagine.model.ModelSpec.DEFAULT_ID);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(m.resolve("group1-shard1of1").toFile(), "rw")) {
            f.setLength(50L << 30); // 50 GiB, nearly none of it on disk
        }
        long t0 = System.nanoTime();
        CliTest.Run c = CliTest.run("classify", "--image", TestModels.image("chelsea.png").toString(), "--models-dir",
                models.toString());
        assertEquals(2, c.code(), c.err());
        assertTrue(c.err().contains("damaged") && c.err().contains("group1-shard1of1"), c.err());
        assertTrue(System.nanoTime() - t0 < 20e9, "not hashed whole");
    }
}
