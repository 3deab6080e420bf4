package imagine.spark;

import imagine.batch.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * References per minute: `batch` against Spark in local[2] and on standalone clusters of one
 * and two workers, with spark.task.cpus 1 and 2, on the same references and settings. A benchmark
 * that prints numbers (docs/command-line.md, "Many images"), not a test:
 * {@code mvn -B -o -q package -DskipTests && mvn -B -o -q exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=imagine.spark.SparkThroughput -Dexec.args="MODELS_DIR [size] [cases] [options]"}.
 */
public final class SparkThroughput {

    public static void main(String[] args) throws Exception {
        Path models = Path.of(args[0]).toAbsolutePath();
        String size = args.length > 1 ? args[1] : "224";
        List<String> cases = args.length > 2 ? List.of(args[2].split(","))
                : List.of("batch", "local2-cpus1", "local2-cpus2", "one-worker-cpus1", "one-worker-cpus2", "two-workers");
        Path tmp = Files.createTempDirectory("imagine-throughput");
        Path refs = Files.createDirectories(tmp.resolve("refs"));
        for (String r : List.of("sample-data/chelsea.png", "sample-data/horse.png", "sample-data/cell.png",
                "sample-data/coffee.png")) {
            Path from = Path.of(r);
            if (!Files.exists(from)) {
                from = imagine.TestModels.image(from.getFileName().toString());
            }
            Files.copy(from, refs.resolve(from.getFileName()));
        }
        System.out.printf(Locale.ROOT, "%-18s %8s %10s %14s%n", "case", "wall_s", "refs/min", "s/ref (task)");
        for (String c : cases) {
            Path out = tmp.resolve("out-" + c);
            List<String> app = new ArrayList<>(List.of("--references", refs.toString(), "--out", out.toString(),
                    "--models-dir", models.toString(), "--size", size, "--preset", "fast", "--samples", "1", "--seed", "1",
                    "--quiet"));
            if (args.length > 3) {
                app.addAll(List.of(args[3].split(" "))); // more options for every case, e.g. "--threads 2"
            }
            long t0 = System.nanoTime();
            if (c.equals("batch")) {
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar", "target/imagine.jar", "batch", "--threads", "2"));
                cmd.addAll(app);
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve(c + ".log").toFile())
                        .start();
                p.waitFor(30, TimeUnit.MINUTES);
            } else {
                int workers = c.startsWith("two") ? 2 : c.startsWith("one") ? 1 : 0;
                try (StandaloneCluster cluster = new StandaloneCluster(tmp.resolve("cluster-" + c), workers,
                        workers == 2 ? 1 : 2, "6g")) {
                    t0 = System.nanoTime(); // the cluster's start is not the job's
                    String master = workers == 0 ? "local[2]" : cluster.masterUrl();
                    String cpus = c.endsWith("cpus2") ? "2" : "1";
                    Process p = cluster.submit(c, master, Map.of("spark.task.cpus", cpus, "spark.executor.memory", "4g"),
                            app);
                    p.waitFor(30, TimeUnit.MINUTES);
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            Manifest m = Manifest.load(out);
            double perRef = m.rows().values().stream().mapToDouble(Manifest.Row::seconds).average().orElse(Double.NaN);
            long ok = m.rows().values().stream().filter(r -> r.status() == Manifest.Status.OK).count();
            System.out.printf(Locale.ROOT, "%-18s %8.1f %10.2f %14.1f%s%n", c, wall, ok * 60 / wall, perRef,
                    ok == 4 ? "" : "  (" + ok + " of 4 done; see " + tmp + ")");
        }
    }
}
