package imagine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the safetensors reader: any bytes either read or are refused with a
 * ModelException; any other exception, an OutOfMemoryError from a lying header, or a hang is a
 * crash, kept under src/test/resources/imagine/model/SafeTensorsFuzzTestInputs/ for good.
 */
class SafeTensorsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void safetensorsAreReadOrRefusedClearly(byte[] input) throws IOException {
        Path f = Files.createTempFile("fuzz", ".safetensors");
        try {
            Files.write(f, input);
            try {
                SafeTensors.read(f);
            } catch (ModelException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), "a refusal without a message");
            }
        } finally {
            Files.delete(f);
        }
    }
}
