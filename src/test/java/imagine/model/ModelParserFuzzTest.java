package imagine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the model folder reader (model.json, its weights manifest and the
 * weight bytes). Every input must either load or be refused with a ModelException naming the
 * problem; any other exception, a hang or an OutOfMemoryError is a crash, and Jazzer keeps the
 * input under src/test/resources/imagine/model/ModelParserFuzzTestInputs/ to replay for good.
 * The input is model.json, a 0 byte, then the bytes of the weight file "w.bin".
 */
class ModelParserFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void modelFolderIsReadOrRefusedClearly(byte[] input) throws IOException {
        int split = 0;
        while (split < input.length && input[split] != 0) {
            split++;
        }
        Path dir = Files.createTempDirectory("fuzz");
        try {
            Files.write(dir.resolve("model.json"), java.util.Arrays.copyOfRange(input, 0, split));
            byte[] bin = split < input.length ? java.util.Arrays.copyOfRange(input, split + 1, input.length) : new byte[0];
            Files.write(dir.resolve("w.bin"), bin);
            try {
                TfjsModel.read(dir);
            } catch (ModelException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), "a refusal without a message");
            }
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
