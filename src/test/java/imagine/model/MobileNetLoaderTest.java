package imagine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.core.ImagineEngine;
import imagine.core.Prediction;
import imagine.image.RgbImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The loader reproduces the known top-1 classes of the reference images (../shared/images/LICENSES.md). */
class MobileNetLoaderTest {

    @ParameterizedTest
    @CsvSource({"cat.bmp, 285, 0.48", "bird.bmp, 19, 1.00", "grace_hopper.bmp, 652, 0.77"})
    void reproducesKnownTopOneClass(String file, int expectedClass, double expectedProbability) throws Exception {
        Path p = TestModels.image(file);
        RgbImage img = RgbImage.fromBufferedImage(ImageIO.read(p.toFile()));
        List<Prediction> top = new ImagineEngine(TestModels.mobilenet()).classify(img, 5);
        System.out.println(file + " -> " + top);
        assertEquals(expectedClass, top.get(0).index(), file + " top-5 was " + top);
        assertEquals(expectedProbability, top.get(0).probability(), 0.1, "probability of " + top.get(0));
        assertTrue(top.get(0).probability() >= top.get(1).probability());
    }
}
