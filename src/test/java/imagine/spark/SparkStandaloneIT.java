package imagine.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import imagine.TestModels;
import imagine.batch.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SparkBatch on a real standalone cluster (a master and two workers, separate JVMs on loopback,
 * submitted with spark-submit as users do), with one worker killed - it and its executor, at once -
 * while its executor holds a reference: every reference is done exactly once (one run's files, no
 * second numbered run, no temporaries or claims left), and everything started is stopped.
 */
class SparkStandaloneIT {

    static final List<String> REFS = List.of("chelsea.png", "coffee.png", "horse.png", "cell.png");

    @Test
    void twoWorkersOneKilledMidJobEveryReferenceDoneOnce(@TempDir Path tmp) throws Exception {
        Path refs = Files.createDirectories(tmp.resolve("refs"));
        Files.copy(TestModels.image("chelsea.png"), refs.resolve("chelsea.png"));
        Files.copy(TestModels.image("coffee.png"), refs.resolve("coffee.png"));
        Files.copy(Path.of("sample-data/horse.png"), refs.resolve("horse.png"));
        Files.copy(Path.of("sample-data/cell.png"), refs.resolve("cell.png"));
        Path out = tmp.resolve("out");
        long t0 = System.nanoTime();
        try (StandaloneCluster cluster = new StandaloneCluster(tmp.resolve("cluster"), 2, 1, "3g")) {
            System.out.printf("cluster up in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, cluster.masterUrl());
            // Both executors registered before the first task, so worker 2 surely gets work to lose.
            Process job = cluster.submit("submit", Map.of("spark.executor.memory", "2g", "spark.task.cpus", "1",
                    "spark.scheduler.minRegisteredResourcesRatio", "1.0",
                    "spark.scheduler.maxRegisteredResourcesWaitingTime", "120s"),
                    List.of("--references", refs.toString(), "--out", out.toString(), "--models-dir",
                            TestModels.modelsDir().toAbsolutePath().toString(), "--size", "64", "--iterations", "60",
                            "--preset", "fast", "--samples", "2", "--seed", "4", "--quiet")); // seeds 4 and 5: files -s4, -s5

            // Kill worker 2 while its executor holds a reference's lock (the executor's pid is in it).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            String killedWhileHolding = null;
            while (killedWhileHolding == null && System.nanoTime() < deadline && job.isAlive()) {
                Set<Long> worker2 = cluster.worker(2).descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
                for (Path lock : locks(out)) {
                    try {
                        // A lock names its process as "pid start-millis host".
                        long pid = Long.parseLong(Files.readString(lock).trim().split("\\s+")[0]);
                        if (worker2.contains(pid)) {
                            cluster.killWorker(2);
                            killedWhileHolding = lock.getFileName().toString();
                            break;
                        }
                    } catch (java.io.IOException | NumberFormatException e) {
                        // being written or just released: look again
                    }
                }
                Thread.sleep(100);
            }
            System.out.println("killed worker 2 while its executor held " + killedWhileHolding);
            if (!job.waitFor(300, TimeUnit.SECONDS)) {
                fail("the job did not finish within 300 s after the kill:\n" + tail(cluster.log("submit")));
            }
            String log = Files.readString(cluster.log("submit"));
            System.out.printf("job finished in %.1f s, exit %d%n", (System.nanoTime() - t0) / 1e9, job.exitValue());
            log.lines().filter(l -> l.contains("Lost executor") || l.contains("Removed") || l.contains("references done")
                    || l.contains("spark batch:")).limit(12).forEach(l -> System.out.println("  " + l));
            assertEquals(0, job.exitValue(), tail(cluster.log("submit")));
            assertTrue(killedWhileHolding != null, "worker 2's executor never held a reference:\n" + tail(cluster.log("submit")));
            assertTrue(!cluster.worker(2).isAlive(), "worker 2 is gone");
        }

        Manifest m = Manifest.load(out);
        assertEquals(REFS.size(), m.rows().size(), m.rows().toString());
        m.rows().values().forEach(r -> assertEquals(Manifest.Status.OK, r.status(), r.toString()));
        List<String> files = visible(out);
        for (String ref : REFS) {
            String base = ref.substring(0, ref.length() - 4);
            List<String> own = files.stream().filter(f -> f.startsWith(base + "-")).toList();
            assertEquals(List.of(base + "-001-s4.png", base + "-001-s5.png", base + "-001.json"), own,
                    "one run of " + ref + ", once: " + files);
        }
        try (Stream<Path> all = Files.list(out)) {
            List<String> left = all.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".part") || n.endsWith(".claim") || n.endsWith(".lock")).toList();
            assertEquals(List.of(), left, "no temporaries, claims or locks left");
        }
    }

    static List<Path> locks(Path out) throws java.io.IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".imagine-")
                    && p.getFileName().toString().endsWith(".lock")).toList();
        }
    }

    static List<String> visible(Path out) throws java.io.IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".") && !n.equals("manifest.csv"))
                    .sorted().collect(Collectors.toCollection(ArrayList::new));
        }
    }

    static String tail(Path log) throws java.io.IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
