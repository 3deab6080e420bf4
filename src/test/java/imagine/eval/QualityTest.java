package imagine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.ModelSpec;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The report's metrics mean what docs/evaluation.md says they mean. */
class QualityTest {

    static Backbone backbone;
    static RgbImage chelsea;

    @BeforeAll
    static void load() throws Exception {
        backbone = TestModels.mobilenet();
        chelsea = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile())).resize(128, 96);
    }

    static RgbImage noise(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] p = new float[3 * w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextFloat();
        }
        return new RgbImage(w, h, p);
    }

    static Quality quality() {
        return new Quality(backbone, ModelSpec.MOBILENET_V1_075.evaluationTaps(), backbone.defaultTaps());
    }

    @Test
    void heldOutLayersAreNotTheObjectivesAndSpanTheStrides() {
        List<String> held = quality().heldOutTaps();
        assertEquals(4, held.size(), held.toString());
        for (String t : held) {
            assertFalse(backbone.defaultTaps().contains(t), t);
        }
        assertEquals(List.of(4, 8, 16, 32), held.stream().map(backbone::tapStride).toList());
        assertThrows(IllegalArgumentException.class, () -> new Quality(backbone, List.of("conv_pw_3_relu"),
                backbone.defaultTaps()), "an objective layer is refused");
    }

    @Test
    void copyScoreIsOneForACopyAndLowForNoise() {
        assertEquals(1.0, Quality.copyScore(chelsea, chelsea), 1e-4);
        // A shifted crop is still a copy of some reference patch (patches every 4 px).
        assertEquals(1.0, Quality.copyScore(chelsea.crop(8, 4, 96, 64), chelsea), 1e-4);
        assertTrue(Quality.copyScore(noise(128, 96, 1), chelsea) < 0.4);
        // A smooth blob is not a copy of the reference's smooth regions.
        float[] p = new float[3 * 128 * 96];
        for (int i = 0; i < 128 * 96; i++) {
            int x = i % 128;
            int y = i / 128;
            p[i] = p[128 * 96 + i] = p[2 * 128 * 96 + i] = (float) (0.5 + 0.3 * Math.sin(x / 20.0) * Math.cos(y / 15.0));
        }
        double smooth = Quality.copyScore(new RgbImage(128, 96, p), chelsea);
        assertTrue(smooth < 0.6, "smooth image copy score " + smooth);
    }

    @Test
    void identicalSamplesHaveNoDiversityAndTheReferenceNoDistance() {
        Quality q = quality();
        int cls = 285;
        Quality.Scores same = q.score(chelsea, cls, List.of(chelsea, chelsea), new int[] {cls, 281});
        assertEquals(0.5, same.classAgreement(), 1e-9);
        assertEquals(0.0, same.diversity(), 1e-4);
        assertEquals(0.0, same.featureDistance(), 1e-4);
        assertEquals(1.0, same.copyScore(), 1e-4);
        Quality.Scores noisy = q.score(chelsea, cls, List.of(noise(128, 96, 2), noise(128, 96, 3)), new int[] {1, 2});
        assertEquals(0.0, noisy.classAgreement(), 1e-9);
        assertTrue(noisy.featureDistance() > 0.1, "noise has other statistics: " + noisy.featureDistance());
        assertTrue(noisy.copyScore() < 0.5);
    }
}
