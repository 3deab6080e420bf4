package imagine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.batch.Manifest;
import imagine.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local[2] (two task threads, a failed task retried once) on the inputs `batch`
 * gets: the same files and manifest rows, a task that fails once after writing its files leaves no
 * duplicate, and a second run does nothing. Runs in its own JVM (surefire execution "spark"):
 * Spark needs --add-opens and keeps process-wide state.
 */
class SparkBatchTest {

    static void references(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.copy(TestModels.image("chelsea.png"), dir.resolve("chelsea.png"));
        Files.copy(TestModels.image("coffee.png"), dir.resolve("coffee.png"));
        Files.copy(Path.of("sample-data/horse.png"), dir.resolve("horse.png"));
        Files.write(dir.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    }

    static String[] args(Path refs, Path out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("--references", refs.toString(), "--out", out.toString(),
                "--models-dir", TestModels.modelsDir().toString(), "--size", "64", "--iterations", "5", "--preset", "fast",
                "--samples", "2", "--seed", "4", "--threads", "1", "--quiet"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    /** The output folder's visible files (hidden claim/lock/marker files aside). */
    static List<String> files(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    static Map<String, String> rows(Path out) {
        return Manifest.load(out).rows().values().stream().collect(Collectors.toMap(
                r -> Path.of(r.reference()).getFileName().toString(),
                r -> r.status().key() + " " + r.files() + " " + r.seeds() + " " + r.targetClass(), (a, b) -> a, TreeMap::new));
    }

    @Test
    void sparkGivesWhatBatchGivesRetriesWithoutDuplicatesAndResumes(@TempDir Path tmp) throws Exception {
        Path refs = tmp.resolve("refs");
        references(refs);
        Path batchOut = tmp.resolve("batch");
        // Exit 1: the broken reference is a failed row; the others are done.
        assertEquals(1, imagine.cli.Main.run(java.util.stream.Stream.concat(Stream.of("batch"),
                Stream.of(args(refs, batchOut))).toArray(String[]::new)));

        Path sparkOut = tmp.resolve("spark");
        long t0 = System.nanoTime();
        List<Manifest.Row> first = SparkBatch.run(SparkBatchOptions.parse(args(refs, sparkOut, "--parquet",
                "--fail-once-after-writing", "chelsea.png")), "local[2,2]");
        System.out.printf("spark local[2,2]: %d rows in %.1f s%n", first.size(), (System.nanoTime() - t0) / 1e9);
        assertEquals(4, first.size());
        assertTrue(Files.exists(sparkOut.resolve(".failed-once-chelsea.png")), "the injected failure happened");

        // Same files, same rows (but for timings) as batch; the retried reference has one run, not two.
        assertEquals(files(batchOut), files(sparkOut).stream().filter(n -> !n.equals("manifest.parquet")).toList());
        assertTrue(files(sparkOut).contains("manifest.parquet"));
        assertEquals(rows(batchOut), rows(sparkOut));
        assertTrue(rows(sparkOut).get("broken.png").startsWith("failed"), rows(sparkOut).toString());
        assertTrue(Manifest.load(sparkOut).rows().values().stream().filter(r -> r.reference().endsWith("broken.png"))
                .findFirst().orElseThrow().error().contains("is not an image this program can read"));
        for (String f : files(batchOut)) {
            if (f.endsWith(".png")) {
                RgbImage a = RgbImage.fromBufferedImage(ImageIO.read(batchOut.resolve(f).toFile()));
                RgbImage b = RgbImage.fromBufferedImage(ImageIO.read(sparkOut.resolve(f).toFile()));
                assertTrue(a.meanAbsDifference(b) < 0.01, f + " differs by " + a.meanAbsDifference(b));
            }
        }

        // A second run: only the failed reference is tried again, nothing new is written.
        List<Manifest.Row> again = SparkBatch.run(SparkBatchOptions.parse(args(refs, sparkOut)), "local[2]");
        assertEquals(1, again.size(), again.toString());
        assertEquals(files(batchOut), files(sparkOut).stream().filter(n -> !n.equals("manifest.parquet")).toList());
    }
}
