package imagine.controls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.image.Mask;
import imagine.image.RgbImage;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The object a run finds by itself is the reference's object: it holds the object's middle and
 * leaves the frame's corners out, and it is neither a speck nor the whole frame.
 */
class ObjectFinderTest {

    private static RgbImage read(String name) throws Exception {
        return RgbImage.fromBufferedImage(ImageIO.read(TestModels.image(name).toFile()));
    }

    private static void assertHolds(Mask m, int x, int y, String what) {
        assertTrue(m.get(x, y) >= Mask.INSIDE, what + " lies outside the found region " + Arrays.toString(m.bounds()));
    }

    private static void assertCornersOut(Mask m) {
        int w = m.width() - 1;
        int h = m.height() - 1;
        for (int[] c : new int[][] {{0, 0}, {w, 0}, {0, h}, {w, h}}) {
            assertTrue(m.get(c[0], c[1]) < Mask.INSIDE, "corner " + c[0] + "," + c[1] + " is in the found region "
                    + Arrays.toString(m.bounds()));
        }
    }

    @Test
    void findsTheCatsHeadInChelsea() throws Exception {
        RgbImage chelsea = read("chelsea.png"); // 451 x 300, the head fills the middle
        Mask m = ObjectFinder.find(TestModels.mobilenet(), chelsea, 285).orElseThrow();
        assertTrue(m.width() == chelsea.width() && m.height() == chelsea.height(), "in the reference's frame");
        assertTrue(m.coverage() >= ObjectFinder.MIN_COVERAGE && m.coverage() <= ObjectFinder.MAX_COVERAGE,
                "coverage " + m.coverage());
        assertHolds(m, 225, 150, "the head's middle (between eyes and nose)");
        assertCornersOut(m);
    }

    @Test
    void findsTheCupInCoffee() throws Exception {
        RgbImage coffee = read("coffee.png"); // 600 x 400, the cup a little right of the middle
        Mask m = ObjectFinder.find(TestModels.mobilenet(), coffee, 967).orElseThrow();
        assertTrue(m.coverage() < 0.4, "the cup, not the table: coverage " + m.coverage());
        assertHolds(m, 290, 130, "the cup");
        assertCornersOut(m);
    }
}
