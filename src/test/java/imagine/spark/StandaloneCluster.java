package imagine.spark;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on this machine, as users run one: a master and workers, each a JVM
 * of its own bound to loopback, started from the Spark jars Maven resolved (target/spark-classpath.txt,
 * laid out as a Spark installation's jars/ folder, which the workers build their executors'
 * class path from), and spark-submit for the job, with the command line's jars passed by --jars.
 * Closing stops every process it started, with their children (the executors).
 */
final class StandaloneCluster implements AutoCloseable {

    /** The module openings Spark 4 needs on Java 17 (spark-submit's launcher adds the same). */
    static final List<String> OPENS = Stream.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io",
            "java.net", "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref",
            "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar")
            .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

    private final Path dir;
    private final Path sparkHome;
    private final String classPath;
    private final int masterPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final List<Process> others = new ArrayList<>();

    StandaloneCluster(Path dir, int workerCount, int coresPerWorker, String workerMemory) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.sparkHome = installation(dir.resolve("spark-home"));
        this.classPath = sparkHome.resolve("jars") + "/*";
        this.masterPort = freePort();
        master = start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                Integer.toString(masterPort), "--webui-port", Integer.toString(freePort())));
        try {
            awaitLog("master", "I have been elected leader", 90);
            for (int i = 1; i <= workerCount; i++) {
                Path work = Files.createDirectories(dir.resolve("work-" + i));
                workers.add(start("worker-" + i, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--webui-port", Integer.toString(freePort()), "--cores", Integer.toString(coresPerWorker),
                        "--memory", workerMemory, "--work-dir", work.toString(), masterUrl())));
            }
            for (int i = 1; i <= workerCount; i++) {
                awaitLog("worker-" + i, "Successfully registered with master", 90);
            }
        } catch (Exception | AssertionError e) {
            close(); // nothing started is left running
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    Process worker(int i) {
        return workers.get(i - 1);
    }

    /** The worker and everything it started, killed at once: a machine that is lost. */
    void killWorker(int i) {
        Process w = worker(i);
        w.descendants().forEach(ProcessHandle::destroyForcibly);
        w.destroyForcibly();
    }

    /**
     * spark-submit, client mode: {@code imagine.spark.SparkBatch} from target/imagine.jar with
     * target/lib's jars, as the README and docs/command-line.md tell users to run it.
     */
    Process submit(String name, Map<String, String> conf, List<String> appArgs) throws IOException {
        return submit(name, masterUrl(), conf, appArgs);
    }

    /** The same with another master (local[N] for comparisons). */
    Process submit(String name, String master, Map<String, String> conf, List<String> appArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", master,
                "--deploy-mode", "client", "--class", "imagine.spark.SparkBatch", "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executor.extraJavaOptions=-Dai.djl.offline=true -DOPT_OUT_TRACKING=true"));
        conf.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
        try (Stream<Path> lib = Files.list(Path.of("target/lib"))) {
            cmd.addAll(List.of("--jars", String.join(",", lib.map(p -> p.toAbsolutePath().toString()).sorted().toList())));
        }
        cmd.add(Path.of("target/imagine.jar").toAbsolutePath().toString());
        cmd.addAll(appArgs);
        Process p = start(name, "3g", cmd); // in local[N] the driver is also the executor
        others.add(p);
        return p;
    }

    Path log(String name) {
        return dir.resolve(name + ".log");
    }

    private Process start(String name, List<String> mainAndArgs) throws IOException {
        return start(name, "1g", mainAndArgs);
    }

    private Process start(String name, String heap, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"));
        cmd.addAll(OPENS);
        cmd.addAll(List.of("-cp", classPath));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log(name).toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOCAL_DIRS", Files.createDirectories(dir.resolve("local")).toString());
        return pb.start();
    }

    void awaitLog(String name, String text, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (Files.exists(log(name)) && Files.readString(log(name)).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " did not say '" + text + "' within " + seconds + " s:\n" + Files.readString(log(name)));
    }

    /**
     * A Spark installation's layout: jars/ with Spark's jars (links) plus the logging and commons
     * jars a Spark distribution ships and this project's runtime folder holds.
     */
    private static Path installation(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        List<Path> all = new ArrayList<>();
        for (String entry : Files.readString(Path.of("target/spark-classpath.txt")).trim().split(java.io.File.pathSeparator)) {
            all.add(Path.of(entry));
        }
        try (Stream<Path> lib = Files.list(Path.of("target/lib"))) {
            lib.filter(p -> p.getFileName().toString().matches("(slf4j|commons)-.*\\.jar")).forEach(all::add);
        }
        for (Path jar : all) {
            Path link = jars.resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        return home;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(others);
        all.addAll(workers);
        all.add(master);
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
