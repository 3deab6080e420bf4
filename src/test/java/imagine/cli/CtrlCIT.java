package imagine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) on the command line: the run stops at the next iteration, the samples reached so
 * far are written with a sidecar saying "cancelled", and the exit code is 130.
 */
class CtrlCIT {

    @Test
    void sigintStopsAndKeepsTheSamples(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Path log = dir.resolve("log.txt");
        // env --default-signal=INT: a build started in the background of a non-interactive shell (nohup,
        // `cmd &`) runs with SIGINT ignored, the child inherits that and the JVM then leaves SIGINT alone;
        // a terminal's Ctrl-C reaches a process whose SIGINT is at its default, so the test starts one so.
        Process p = new ProcessBuilder("env", "--default-signal=INT", "java", "-jar",
                Path.of("target/imagine.jar").toAbsolutePath().toString(),
                "synthesize", "--reference", "sample-data/chelsea.png", "--out", out.toString(), "--models-dir",
                TestModels.modelsDir().toString(), "--size", "64", "--samples", "2", "--iterations", "20000", "--quiet")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long t0;
        try {
            Thread.sleep(12_000); // the model loads and the run is well under way
            assertTrue(p.isAlive(), "still running before the signal: " + Files.readString(log));
            t0 = System.nanoTime();
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "exits after Ctrl-C");
        } finally {
            p.destroyForcibly(); // a failed test leaves no run of 20,000 iterations behind
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String text = Files.readString(log);
        assertEquals(130, p.exitValue(), text);
        assertTrue(text.contains("Cancelled after "), text);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(2, s.filter(f -> f.toString().endsWith(".png")).count(), "both partial samples written");
        }
        String json = Files.readString(out.resolve("chelsea-001.json"));
        assertTrue(json.contains("\"cancelled\": true"), json);
        System.out.println("Ctrl-C to exit: " + ms + " ms");
    }
}
