package imagine.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import imagine.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged model folders give a ModelException naming the file; nothing crashes or hangs. */
class ModelLoadingErrorsTest {

    static final String ID = ModelSpec.DEFAULT_ID;

    static Path copyModel(Path dir) throws IOException {
        Path src = TestModels.modelsDir().resolve(ID);
        Path dst = dir.resolve(ID);
        Files.createDirectories(dst);
        try (Stream<Path> files = Files.list(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    static ModelException load(Path modelsDir) {
        return assertThrows(ModelException.class, () -> new ModelStore(modelsDir).load(ID, Device.cpu()).close());
    }

    /** The readers' own defences, past the checksum check (which refuses every edited file first). */
    static ModelException read(Path modelsDir) {
        return assertThrows(ModelException.class,
                () -> new ModelStore(modelsDir).build(ID, modelsDir.resolve(ID), Device.cpu()).close());
    }

    @Test
    void flippedBytesOfTheSameSizeAreRefusedWhereTheModelLoads(@TempDir Path dir) throws IOException {
        Path m = copyModel(dir);
        Path shard = m.resolve("group7-shard1of1");
        byte[] b = Files.readAllBytes(shard);
        for (int i = 1000; i < 1003; i++) {
            b[i] ^= 0x5a;
        }
        Files.write(shard, b);
        ModelException e = load(dir);
        assertTrue(e.getMessage().contains("damaged") && e.getMessage().contains("group7-shard1of1")
                && e.getMessage().contains("fresh copy"), e.getMessage());
        List<String> problems = new ModelStore(dir).problems(ID);
        assertTrue(problems.size() == 1 && problems.get(0).contains("group7-shard1of1"), problems.toString());
    }

    @Test
    void metadataThatDoesNotMatchTheHeadIsRefused(@TempDir Path dir) throws IOException {
        Path m = copyModel(dir);
        Files.writeString(m.resolve("metadata.json"), "{\"labels\": [\"a\", \"b\", \"c\"]}");
        ModelException e = load(dir);
        assertTrue(e.getMessage().contains("lists 3 class labels") && e.getMessage().contains("1000"), e.getMessage());
        Files.writeString(m.resolve("metadata.json"), "{\"labels\": [\"tench\", \"goldf");
        assertTrue(new ModelStore(dir).problems(ID).stream().anyMatch(p -> p.contains("metadata.json")),
                "a truncated metadata.json is a problem doctor reports");
    }

    @Test
    void deeplyNestedJsonIsOneLineNotAStackOverflow(@TempDir Path dir) throws IOException {
        Path m = copyModel(dir);
        Files.writeString(m.resolve("model.json"), "[".repeat(100_000) + "]".repeat(100_000));
        ModelException e = read(dir);
        assertTrue(e.getMessage().contains("nested deeper than") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void missingFolder(@TempDir Path dir) {
        ModelException e = load(dir.resolve("nothing"));
        assertTrue(e.getMessage().contains("does not exist") && e.getMessage().contains("IMAGINE_MODELS"), e.getMessage());
    }

    @Test
    void missingModel(@TempDir Path dir) {
        ModelException e = load(dir);
        assertTrue(e.getMessage().contains("model.json"), e.getMessage());
    }

    @Test
    void corruptJson(@TempDir Path dir) throws IOException {
        Path m = copyModel(dir);
        Files.writeString(m.resolve("model.json"), "{\"modelTopology\": [1, 2");
        ModelException e = read(dir);
        assertTrue(e.getMessage().contains("model.json"), e.getMessage());
    }

    @Test
    void truncatedWeightFile(@TempDir Path dir) throws IOException {
        Path m = copyModel(dir);
        Path shard = m.resolve("group29-shard1of1");
        byte[] b = Files.readAllBytes(shard);
        Files.write(shard, java.util.Arrays.copyOf(b, b.length / 2));
        ModelException e = read(dir);
        assertTrue(e.getMessage().contains("group29-shard1of1") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingWeightFile(@TempDir Path dir) throws IOException {
        Path m = copyModel(dir);
        Files.delete(m.resolve("group3-shard1of1"));
        ModelException e = read(dir);
        assertTrue(e.getMessage().contains("group3-shard1of1"), e.getMessage());
    }

    @Test
    void nanWeights(@TempDir Path dir) throws IOException {
        Path m = copyModel(dir);
        Path shard = m.resolve("group1-shard1of1");
        byte[] b = Files.readAllBytes(shard);
        // 0x7fc00000 little-endian is a quiet NaN.
        b[0] = 0;
        b[1] = 0;
        b[2] = (byte) 0xc0;
        b[3] = 0x7f;
        Files.write(shard, b);
        ModelException e = read(dir);
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("conv1/kernel"), e.getMessage());
    }

    @Test
    void pathsLeavingTheFolderAreRefused(@TempDir Path dir) throws IOException {
        Path m = copyModel(dir);
        String json = Files.readString(m.resolve("model.json")).replace("\"group1-shard1of1\"", "\"../../etc/passwd\"");
        Files.writeString(m.resolve("model.json"), json);
        ModelException e = read(dir);
        assertTrue(e.getMessage().contains("outside the model folder"), e.getMessage());
    }

    @Test
    void absurdShapeIsRefusedBeforeAllocation(@TempDir Path dir) throws IOException {
        Path m = copyModel(dir);
        String json = Files.readString(m.resolve("model.json")).replace("\"shape\":[3,3,3,24]", "\"shape\":[300000,300000,3,24]");
        Files.writeString(m.resolve("model.json"), json);
        ModelException e = read(dir);
        assertTrue(e.getMessage().contains("conv1/kernel"), e.getMessage());
    }

    @Test
    void goodFolderStillLoadsAfterFailures(@TempDir Path dir) throws IOException {
        copyModel(dir);
        try (Backbone b = new ModelStore(dir).load(ID, Device.cpu())) {
            assertTrue(b.labels().size() == 1000 && b.tapNames().contains("conv_pw_11_relu"));
            assertTrue(b.tapStride("conv_pw_11_relu") == 16 && b.tapStride("conv1_relu") == 2);
        }
    }
}
