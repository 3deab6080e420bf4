package imagine.ij;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import imagine.TestModels;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Recorder records a working call: a user runs IMAGINE Synthesize from the menu with the
 * Recorder open (see {@link RecorderDriver}); the recorded line names every field by its macro key
 * and, run as a macro, opens the same kind of result window.
 */
class RecorderIT {

    @Test
    void recordedCallReplays(@TempDir Path ij) throws Exception {
        imagine.TestTools.requireXvfb();
        Path models = TestModels.modelsDir();
        ImageJMacroIT.installImageJ(ij);
        String cp = Path.of("target/test-classes").toAbsolutePath() + File.pathSeparator
                + Path.of("target/lib").toAbsolutePath() + File.separator + "*";
        Path log = ij.resolve("recorder.log");
        Process p = new ProcessBuilder("xvfb-run", "-a", "java", "-Xmx2g", "-Duser.home=" + ij, "-cp", cp,
                RecorderDriver.class.getName(), ij.toString(), Path.of("sample-data/chelsea.png").toAbsolutePath().toString(),
                models.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("the recorder run did not finish in 5 minutes: " + Files.readString(log));
        }
        String out = Files.readString(log);
        assertTrue(out.contains("run(\"IMAGINE Synthesize...\", \"samples=2 width=64 height=48 preset=fast "
                + "model=mobilenet_v1_0.75_224 class=-1 iterations=5 seed=7 models_folder=" + models + " settings=[] preview\");"),
                "the recorded call: " + out);
        assertTrue(out.contains("IMAGINE preview of chelsea.png"), "the live preview window opened: " + out);
        assertTrue(out.contains("REPLAY=IMAGINE chelsea.png #1 64x48x2 seed=7"), "the recorded call runs: " + out);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("CANCELLED=cancelled at (\\d+)/5000 seed=9 after (\\d+) ms; info cancelled=true").matcher(out);
        assertTrue(m.find(), "Esc stops the run and keeps its samples, marked: " + out);
        assertTrue(Integer.parseInt(m.group(1)) < 5000);
    }
}
