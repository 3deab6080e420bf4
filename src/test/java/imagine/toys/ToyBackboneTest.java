package imagine.toys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.config.ImagineConfig;
import imagine.core.CancellationToken;
import imagine.core.ImagineEngine;
import imagine.core.ProgressListener;
import imagine.core.SynthesisResult;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.ModelException;
import imagine.model.ModelSpec;
import imagine.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backbone of one's own is one class and a factory outside the model package: the store finds it, the engine runs on it. */
class ToyBackboneTest {

    @Test
    void theStoreFindsItAndTheEngineSynthesizesWithIt(@TempDir Path models) throws Exception {
        assertTrue(ModelSpec.known().stream().anyMatch(s -> s.id().equals("toy_conv")), "in the catalog through its factory");
        ModelStore store = new ModelStore(models);
        var missing = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
                () -> store.load("toy_conv", Engines.device("cpu")));
        assertTrue(missing.getMessage().contains("put a file seed.txt"), missing.getMessage());
        Files.createDirectories(models.resolve("toy_conv"));
        Files.writeString(models.resolve("toy_conv/seed.txt"), "7");
        float[] stripes = new float[3 * 64 * 64];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = (i / 4) % 2;
        }
        try (Backbone b = store.load("toy_conv", Engines.device("cpu"))) {
            ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(64, 64).iterations(30)
                    .model("toy_conv").set("palette_weight", 0).set("coarse_fraction", 0).build();
            SynthesisResult r = ImagineEngine.builder(b).optThreads(1).build().synthesize(new RgbImage(64, 64, stripes), cfg,
                    ProgressListener.NONE, new CancellationToken());
            assertEquals(1, r.samples().size());
            assertEquals("toy_conv", r.model());
            assertTrue(store.problems("toy_conv").isEmpty(), store.problems("toy_conv").toString());
        }
    }
}
