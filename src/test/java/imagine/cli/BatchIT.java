package imagine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.batch.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `batch` as a process: killed (SIGKILL) once its first reference is done and run again, it does
 * only the rest, with no duplicate and no partial file; a second batch on the same folder refuses.
 */
class BatchIT {

    static Process start(Path refs, Path out, Path log, int iterations) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", Path.of("target/imagine.jar").toAbsolutePath().toString(),
                "batch", "--references", refs.toString(), "--out", out.toString(), "--models-dir",
                TestModels.modelsDir().toString(), "--size", "64", "--iterations", String.valueOf(iterations), "--preset",
                "fast", "--quiet"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static List<String> visible(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void killedAfterTheFirstReferenceAndRunAgainDoesOnlyTheRest(@TempDir Path tmp) throws Exception {
        Path refs = Files.createDirectories(tmp.resolve("refs"));
        for (String n : List.of("chelsea.png", "coffee.png", "horse.png")) {
            Files.copy(Path.of("sample-data", n), refs.resolve(n));
        }
        Path out = tmp.resolve("out");
        Process p = start(refs, out, tmp.resolve("first.log"), 150);
        Path manifest = out.resolve(Manifest.FILE);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!(Files.exists(manifest) && Files.readString(manifest).contains(",ok,")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        p.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no cleanup
        List<String> afterKill = visible(out);
        assertTrue(afterKill.contains("chelsea-001.json"), afterKill + "\n" + Files.readString(tmp.resolve("first.log")));
        assertFalse(afterKill.stream().anyMatch(n -> n.startsWith("coffee") && n.endsWith(".json")), afterKill.toString());

        // A second batch refuses while... nothing runs now: the killed job's lock is taken over.
        Process again = start(refs, out, tmp.resolve("second.log"), 150);
        assertTrue(again.waitFor(300, TimeUnit.SECONDS));
        String log = Files.readString(tmp.resolve("second.log"));
        assertEquals(0, again.exitValue(), log);
        assertTrue(log.contains("3 reference(s), 1 already done, 2 to do"), log);
        List<String> files = visible(out);
        assertEquals(List.of("chelsea-001-s0.png", "chelsea-001.json", "coffee-001-s0.png", "coffee-001.json",
                "horse-001-s0.png", "horse-001.json", "manifest.csv"), files, "one run per reference, no partial file");
        assertEquals(3, Manifest.load(out).rows().values().stream().filter(r -> r.status() == Manifest.Status.OK).count());
    }

    @Test
    void aSecondBatchOnTheSameFolderRefusesWhileTheFirstRuns(@TempDir Path tmp) throws Exception {
        Path refs = Files.createDirectories(tmp.resolve("refs"));
        Files.copy(Path.of("sample-data/chelsea.png"), refs.resolve("chelsea.png"));
        Path out = tmp.resolve("out");
        Process first = start(refs, out, tmp.resolve("first.log"), 3000);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(out.resolve(".imagine-batch.lock")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Process second = start(refs, out, tmp.resolve("second.log"), 5);
            assertTrue(second.waitFor(60, TimeUnit.SECONDS));
            String log = Files.readString(tmp.resolve("second.log"));
            assertEquals(2, second.exitValue(), log);
            assertTrue(log.contains("Another batch is writing into"), log);
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
