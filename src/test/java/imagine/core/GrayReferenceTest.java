package imagine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.config.ImagineConfig;
import imagine.image.ImageKind;
import imagine.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** A gray reference gives gray samples: one channel optimized, no colour anywhere. */
class GrayReferenceTest {

    @Test
    void aGrayReferenceGivesGraySamplesThatMoveTowardItsClass() throws Exception {
        RgbImage camera = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("camera.png").toFile()));
        assertTrue(camera.isGray(), "the camera photo is a gray PNG");
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(96, 96).iterations(80).samples(2)
                .seed(3).build();
        List<Progress> reports = new ArrayList<>();
        SynthesisResult r = new ImagineEngine(TestModels.mobilenet()).synthesize(camera, cfg, reports::add,
                new CancellationToken());
        assertEquals(ImageKind.GRAY, r.kind());
        assertEquals("gray", r.describe().get("image_kind"));
        for (RgbImage s : r.samples()) {
            assertTrue(s.isGray(), "R = G = B in every pixel of a gray reference's sample");
            assertTrue(spread(s) > 0.02, "not a flat field: spread " + spread(s));
        }
        assertEquals(0, r.timings().skippedSteps());
        double first = reports.get(0).losses().get("class");
        double last = reports.get(reports.size() - 1).losses().get("class");
        assertTrue(last < first, "toward the reference's class: " + first + " -> " + last);
    }

    @Test
    void aColourReferenceStaysRgb() throws Exception {
        RgbImage chelsea = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile()));
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(64, 64).iterations(10).build();
        SynthesisResult r = new ImagineEngine(TestModels.mobilenet()).synthesize(chelsea, cfg, p -> {},
                new CancellationToken());
        assertEquals(ImageKind.RGB, r.kind());
        assertFalse(r.samples().get(0).isGray());
    }

    /** Standard deviation of the first plane. */
    static double spread(RgbImage img) {
        int n = img.width() * img.height();
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            sum += img.planes()[i];
            sq += img.planes()[i] * img.planes()[i];
        }
        double mean = sum / n;
        return Math.sqrt(Math.max(0, sq / n - mean * mean));
    }
}
