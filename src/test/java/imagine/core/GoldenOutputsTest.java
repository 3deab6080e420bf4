package imagine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import imagine.TestModels;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.controls.Target;
import imagine.image.RgbImage;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The engine's outputs for fixed seeds, single-threaded, against fingerprints recorded from an
 * earlier version (8x8 block means of every sample and channel): a refactoring that changes what
 * the synthesis produces fails here. A deliberate change of the method rewrites the file with
 * {@code -Dimagine.golden.write=src/test/resources/imagine/core/golden-outputs.json} (and says so
 * in its commit); a writing run fails, so it can never pass for a check.
 */
class GoldenOutputsTest {

    static final String RESOURCE = "/imagine/core/golden-outputs.json";
    /**
     * Largest allowed mean absolute difference of the block means (pixels in [0, 1]). On the
     * machine that wrote them the fingerprints are reproduced exactly (single-threaded runs are
     * byte-identical since the scalar fix, docs/command-line.md, seeds); another processor sums in another order
     * and the chaotic optimization ends 0.002-0.005 away after these 18 iterations, while a real
     * change of the method (measured: dx and dy of the jitter drawn in the other order) ends 0.045
     * away, with single blocks 0.16-0.23 off.
     */
    static final double TOLERANCE = 0.015;

    /** The cases: every stage kind, the discriminator acting on the image, and position control. */
    static Map<String, Run> cases() {
        Map<String, Run> m = new LinkedHashMap<>();
        ImagineConfig plain = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(64, 64).iterations(18).samples(2)
                .seed(11).set("coarse_fraction", 0.78).set("coarse_divisor", 2).set("adversarial_start", 0).set("disc_every", 1).build();
        m.put("plain", new Run(plain, Controls.none()));
        ImagineConfig box = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(64, 64).iterations(18).seed(3)
                .set("coarse_fraction", 0.78).set("coarse_divisor", 2).set("adversarial_start", 0).set("disc_every", 1).build();
        m.put("box", new Run(box, Controls.none().withTarget(new Target.Box(0, 0, 40, 40))));
        return m;
    }

    record Run(ImagineConfig config, Controls controls) {}

    record Fingerprint(List<float[]> thumbnails) {}

    @Test
    void outputsForFixedSeedsAreUnchanged() throws Exception {
        RgbImage chelsea = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile()));
        ImagineEngine engine = ImagineEngine.builder(TestModels.mobilenet()).optThreads(1).build();
        Map<String, Fingerprint> now = new LinkedHashMap<>();
        try (var oneThread = imagine.model.Engines.withThreads(1)) { // one setting for all cases, as in SynthesisTest
            cases().forEach((name, run) -> {
                SynthesisResult r = engine.synthesize(chelsea, run.controls(), run.config(), ProgressListener.NONE,
                        new CancellationToken());
                List<float[]> thumbs = new ArrayList<>();
                r.samples().forEach(s -> thumbs.add(thumbnail(s, 8)));
                now.put(name, new Fingerprint(thumbs));
            });
        }
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        String write = System.getProperty("imagine.golden.write");
        if (write != null && !write.isBlank()) {
            Files.writeString(Path.of(write), gson.toJson(now));
            fail("Fingerprints written to " + write + "; nothing was checked. Run again without "
                    + "-Dimagine.golden.write to check them.");
        }
        Map<String, Fingerprint> expected;
        try (InputStream in = GoldenOutputsTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " is missing");
            expected = gson.fromJson(new InputStreamReader(in, StandardCharsets.UTF_8),
                    new TypeToken<Map<String, Fingerprint>>() {}.getType());
        }
        assertEquals(expected.keySet(), now.keySet());
        for (String name : expected.keySet()) {
            Fingerprint e = expected.get(name);
            Fingerprint n = now.get(name);
            assertEquals(e.thumbnails().size(), n.thumbnails().size(), name);
            double worst = 0;
            double sum = 0;
            int count = 0;
            for (int i = 0; i < e.thumbnails().size(); i++) {
                float[] a = e.thumbnails().get(i);
                float[] b = n.thumbnails().get(i);
                for (int k = 0; k < a.length; k++) {
                    worst = Math.max(worst, Math.abs(a[k] - b[k]));
                    sum += Math.abs(a[k] - b[k]);
                    count++;
                }
            }
            double mean = sum / count;
            System.out.printf("golden %s: block differences mean %.2e, largest %.2e%n", name, mean, worst);
            assertTrue(mean <= TOLERANCE, name + ": the outputs changed (mean 8x8 block difference " + mean
                    + ", largest " + worst + ")");
        }
    }

    /** Mean of each (side x side) grid cell, per channel. */
    static float[] thumbnail(RgbImage img, int side) {
        float[] out = new float[3 * side * side];
        int w = img.width();
        int h = img.height();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(c * side + y * side / h) * side + x * side / w] += img.get(c, x, y);
                }
            }
        }
        float cell = (float) (w * h) / (side * side);
        for (int i = 0; i < out.length; i++) {
            out[i] /= cell;
        }
        return out;
    }
}
