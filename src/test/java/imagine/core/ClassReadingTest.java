package imagine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import imagine.TestModels;
import imagine.batch.Images;
import imagine.controls.Placement;
import imagine.image.Mask;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.ClassProbabilities;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the engine reads a reference's class: its centre square and that square's mirror image. */
class ClassReadingTest {

    @Test
    void aWidePhotoIsReadByItsCentreNotSquashed() {
        Backbone mobilenet = TestModels.mobilenet();
        RgbImage cat = Images.read(TestModels.image("cat.bmp"));
        RgbImage wide = besideTexture(cat, 2 * cat.width(), Images.read(TestModels.image("gravel.png")));
        // The whole picture squashed to a square (the old reading) loses the cat: MobileNet reads a basenji.
        assertNotEquals(285, TestModels.singleView(mobilenet, wide).top(0), "squashed");
        List<Prediction> top = new ImagineEngine(mobilenet).classify(wide, 1);
        assertEquals(285, top.get(0).index(), "centre square: Egyptian cat, got " + top);
    }

    @Test
    void theCentreSquareIsAveragedWithItsMirrorImage() {
        Backbone mobilenet = TestModels.mobilenet();
        RgbImage hopper = Images.read(TestModels.image("grace_hopper.bmp"));
        int s = mobilenet.nativeSize();
        RgbImage square = ClassTargeting.centreSquare(hopper).resize(s, s);
        ClassProbabilities alone = TestModels.singleView(mobilenet, square);
        ClassProbabilities mirror = TestModels.singleView(mobilenet, mirrored(square));
        // One view alone depends on the side the subject faces: military uniform, its mirror image a suit.
        assertEquals(652, alone.top(0));
        assertEquals(834, mirror.top(0));
        ImagineEngine engine = new ImagineEngine(mobilenet);
        List<Prediction> read = engine.classify(hopper, 5);
        for (Prediction p : read) {
            double mean = (alone.get(0, p.index()) + mirror.get(0, p.index())) / 2;
            assertEquals(mean, p.probability(), 1e-4, "class " + p);
        }
        assertEquals(652, read.get(0).index());
        // So a mirrored reference gets the same classes (not bit-equal: Java2D's resampling is not mirror-symmetric).
        List<Prediction> flipped = engine.classify(mirrored(hopper), 5);
        assertArrayEquals(read.stream().mapToInt(Prediction::index).toArray(),
                flipped.stream().mapToInt(Prediction::index).toArray());
    }

    @Test
    void centreSquaresAndObjectSquares() {
        RgbImage wide = new RgbImage(300, 100, new float[3 * 300 * 100]);
        RgbImage c = ClassTargeting.centreSquare(wide);
        assertEquals(100, c.width());
        assertEquals(100, c.height());
        RgbImage tall = new RgbImage(50, 80, new float[3 * 50 * 80]);
        assertEquals(50, ClassTargeting.centreSquare(tall).height());
        // A long object (a 120 x 20 box at x 150-269) is read from the 100 px square around its centre,
        // the largest the reference allows, kept inside the reference: not cut to a 20 px sliver.
        float[] box = new float[300 * 100];
        for (int y = 40; y < 60; y++) {
            for (int x = 150; x < 270; x++) {
                box[y * 300 + x] = 1;
            }
        }
        gradient(wide);
        Placement p = new Placement(new Mask(300, 100, box), List.of(), 300, 100, 224, 224, List.of());
        RgbImage crop = ClassTargeting.objectCrop(wide, p);
        assertEquals(100, crop.width());
        assertEquals(100, crop.height());
        assertEquals(wide.get(0, 160, 0), crop.get(0, 0, 0), 1e-6, "starts at x 160 (box centre 210 - 50)");
    }

    @Test
    void rowMeanAveragesTheRows() {
        ClassProbabilities two = new ClassProbabilities(new float[] {0.5f, 0.25f, 0.25f, 0.1f, 0.7f, 0.2f}, 3);
        assertArrayEquals(new float[] {0.3f, 0.475f, 0.225f}, two.rowMean().values(), 1e-6f);
    }

    /** Writes x / width into every channel, so a crop's origin can be read back from its first pixel. */
    private static void gradient(RgbImage image) {
        float[] p = image.planes();
        int w = image.width();
        for (int i = 0; i < p.length; i++) {
            p[i] = (i % w) / (float) w;
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
