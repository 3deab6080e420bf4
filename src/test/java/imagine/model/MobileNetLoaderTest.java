package imagine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.core.ImagineEngine;
import imagine.image.RgbImage;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The loader reproduces the known top-1 classes of the reference images (../shared/images/LICENSES.md),
 * read as that table reads them: the whole image resized to the network's input.
 */
class MobileNetLoaderTest {

    @ParameterizedTest
    @CsvSource({"cat.bmp, 285, 0.48", "bird.bmp, 19, 1.00", "grace_hopper.bmp, 652, 0.77"})
    void reproducesKnownTopOneClass(String file, int expectedClass, double expectedProbability) throws Exception {
        RgbImage img = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image(file).toFile()));
        Backbone b = TestModels.mobilenet();
        ClassProbabilities p = TestModels.singleView(b, img);
        int[] top = p.top(0, 2);
        assertEquals(expectedClass, top[0], file + " top-2 was " + top[0] + ", " + top[1]);
        assertEquals(expectedProbability, p.get(0, top[0]), 0.1, "probability of class " + top[0]);
        assertTrue(p.get(0, top[0]) >= p.get(0, top[1]));
        // The engine's own reading (centre square and its mirror) names the same class.
        assertEquals(expectedClass, new ImagineEngine(b).classify(img, 1).get(0).index(), file);
    }
}
