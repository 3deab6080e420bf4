package imagine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.config.ImagineConfig;
import imagine.image.ChannelColors;
import imagine.image.ImageKind;
import imagine.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Samples are of the reference's kind: a gray reference gives gray samples (one channel, no colour
 * anywhere), a composite gives samples of its channels, shown with the channels' colours.
 */
class ChannelKindsTest {

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

    @Test
    void aCompositeGivesSamplesOfItsChannelsInTheirColours() throws Exception {
        RgbImage chelsea = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile()));
        int n = chelsea.width() * chelsea.height();
        float[] twoChannels = java.util.Arrays.copyOf(chelsea.planes(), 2 * n); // red and green as two channels
        ChannelColors colors = ChannelColors.composite(new float[] {1, 0, 1}, new float[] {0, 1, 0}); // magenta, green
        RgbImage shown = colors.render(twoChannels, chelsea.width(), chelsea.height());
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(64, 64).iterations(30).samples(2)
                .seed(4).build();
        SynthesisResult r = new ImagineEngine(TestModels.mobilenet()).synthesize(shown, colors,
                imagine.controls.Controls.none(), cfg, p -> {}, new CancellationToken());
        assertEquals(ImageKind.COMPOSITE, r.kind());
        assertEquals(2, r.describe().get("channels"));
        for (int i = 0; i < 2; i++) {
            float[] ch = r.channels().get(i);
            assertEquals(2 * 64 * 64, ch.length, "two channels per sample");
            RgbImage again = colors.render(ch, 64, 64);
            assertArrayEquals(again.planes(), r.samples().get(i).planes(), 1e-5f,
                    "the RGB sample is its channels shown in their colours");
            assertEquals(again.get(0, 5, 5), again.get(2, 5, 5), 1e-6f, "magenta: red = blue");
        }
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
