package imagine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import imagine.TestModels;
import imagine.batch.Images;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.GradMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the engine reads a reference's class: its centre square and that square's mirror image. */
class ClassReadingTest {

    private final Backbone mobilenet = TestModels.mobilenet();
    private final ImagineEngine engine = new ImagineEngine(mobilenet);

    @Test
    void aWidePhotoIsReadByItsCentreNotSquashed() {
        RgbImage cat = Images.read(TestModels.image("cat.bmp"));
        RgbImage wide = besideTexture(cat, 2 * cat.width(), Images.read(TestModels.image("gravel.png")));
        // The whole picture squashed to a square (the old reading) loses the cat: MobileNet reads a basenji.
        try (NDManager m = Engines.pytorch().newBaseManager(mobilenet.device()); GradMode g = GradMode.off()) {
            int s = mobilenet.nativeSize();
            assertNotEquals(285, mobilenet.probabilities(wide.resize(s, s).toArray(m)).top(0), "squashed");
        }
        List<Prediction> top = engine.classify(wide, 1);
        assertEquals(285, top.get(0).index(), "centre square: Egyptian cat, got " + top);
    }

    @Test
    void aMirroredReferenceGetsTheSameClasses() {
        RgbImage hopper = Images.read(TestModels.image("grace_hopper.bmp"));
        List<Prediction> a = engine.classify(hopper, 5);
        List<Prediction> b = engine.classify(mirrored(hopper), 5);
        assertArrayEquals(a.stream().mapToInt(Prediction::index).toArray(), b.stream().mapToInt(Prediction::index).toArray());
        // Not bit-equal: an odd margin puts the centre square one pixel off in the mirror image.
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).probability(), b.get(i).probability(), 0.01, "class " + a.get(i));
        }
    }

    /** {@code image} in the middle of a canvas {@code width} wide, the rest tiled with {@code texture}. */
    private static RgbImage besideTexture(RgbImage image, int width, RgbImage texture) {
        int h = image.height();
        int left = (width - image.width()) / 2;
        float[] p = new float[3 * width * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < width; x++) {
                    int ix = x - left;
                    p[(c * h + y) * width + x] = ix >= 0 && ix < image.width() ? image.get(c, ix, y)
                            : texture.get(c, x % texture.width(), y % texture.height());
                }
            }
        }
        return new RgbImage(width, h, p);
    }

    private static RgbImage mirrored(RgbImage image) {
        int w = image.width();
        int h = image.height();
        float[] p = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    p[(c * h + y) * w + x] = image.get(c, w - 1 - x, y);
                }
            }
        }
        return new RgbImage(w, h, p);
    }
}
