package imagine.controls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.UserInputException;
import imagine.image.Mask;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Controls resolve to the right pixels, and every bad input is refused with a message that says what to do. */
class ControlsTest {

    @Test
    void boxBecomesAFilledRectangle() {
        Placement p = Controls.none().withTarget(new Target.Box(10, 20, 30, 40)).resolve(100, 80, 64, 96);
        assertTrue(p.controlled());
        Mask m = p.instances().get(0);
        assertEquals(64, m.width());
        assertEquals(96, m.height());
        assertEquals(30 * 40, m.area());
        assertEquals(List.of(10, 20, 30, 40), List.of(m.bounds()[0], m.bounds()[1], m.bounds()[2], m.bounds()[3]));
        assertTrue(p.warnings().isEmpty());
        assertTrue(p.outputHasBackground());
        assertFalse(p.referenceHasBackground());
    }

    @Test
    void boxWithObjectMaskReceivesTheObjectsSilhouette() {
        // A triangle-ish object in the reference: its bounding box is stretched into the target box.
        Mask obj = triangle(50, 50, 10, 10, 30);
        Placement p = new Controls(obj, List.of(new Target.Box(0, 0, 60, 60))).resolve(50, 50, 120, 120);
        Mask m = p.instances().get(0);
        int[] b = m.bounds();
        assertEquals(0, b[0]);
        assertEquals(0, b[1]);
        assertTrue(Math.abs(b[2] - 60) <= 1 && Math.abs(b[3] - 60) <= 1, "silhouette fills the box: " + b[2] + "x" + b[3]);
        // A triangle fills half of its bounding box.
        assertEquals(0.5, m.area() / 3600.0, 0.08);
        assertTrue(p.referenceHasBackground());
    }

    @Test
    void objectMaskAloneKeepsTheReferenceLayout() {
        Mask obj = Mask.box(100, 50, 50, 0, 50, 50);
        Placement p = new Controls(obj, List.of()).resolve(100, 50, 200, 100);
        assertTrue(p.controlled());
        int[] b = p.instances().get(0).bounds();
        assertEquals(List.of(100, 0, 100, 100), List.of(b[0], b[1], b[2], b[3]));
    }

    @Test
    void noTargetsNoControl() {
        assertFalse(Controls.none().resolve(10, 10, 10, 10).controlled());
        assertFalse(new Controls(Mask.full(10, 10), List.of()).resolve(10, 10, 20, 20).controlled(),
                "a full object mask is the plain method");
    }

    @Test
    void boxOutsideTheFrameIsRefused() {
        var e = assertThrows(UserInputException.class,
                () -> Controls.none().withTarget(new Target.Box(300, 10, 50, 50)).resolve(10, 10, 224, 224));
        assertTrue(e.getMessage().contains("lies outside the 224x224 output"), e.getMessage());
        e = assertThrows(UserInputException.class,
                () -> Controls.none().withTarget(new Target.Box(-60, 0, 50, 50)).resolve(10, 10, 224, 224));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void boxPartlyOutsideIsClippedWithANote() {
        Placement p = Controls.none().withTarget(new Target.Box(200, 200, 50, 50)).resolve(10, 10, 224, 224);
        assertEquals(24 * 24, p.instances().get(0).area());
        assertEquals(1, p.warnings().size());
        assertTrue(p.warnings().get(0).contains("reaches outside"), p.warnings().get(0));
    }

    @Test
    void tinyOrDegenerateBoxesAreRefused() {
        var e = assertThrows(UserInputException.class,
                () -> Controls.none().withTarget(new Target.Box(220, 0, 50, 50)).resolve(10, 10, 224, 224));
        assertTrue(e.getMessage().contains("at least 8x8"), e.getMessage());
        e = assertThrows(UserInputException.class,
                () -> Controls.none().withTarget(new Target.Box(0, 0, 0, 50)).resolve(10, 10, 224, 224));
        assertTrue(e.getMessage().contains("no area"), e.getMessage());
    }

    @Test
    void overlappingBoxesAreAllowedWithANote() {
        Placement p = Controls.none().withTarget(new Target.Box(0, 0, 100, 100)).withTarget(new Target.Box(50, 50, 100, 100))
                .resolve(10, 10, 224, 224);
        assertEquals(2, p.instances().size());
        assertEquals(100 * 100 * 2 - 50 * 50, p.targetUnion().area());
        assertTrue(p.warnings().stream().anyMatch(w -> w.contains("overlap")), p.warnings().toString());
    }

    @Test
    void emptyMasksAreRefused() {
        var e = assertThrows(UserInputException.class,
                () -> new Controls(new Mask(10, 10, new float[100]), List.of()).resolve(10, 10, 10, 10));
        assertTrue(e.getMessage().contains("object mask is empty"), e.getMessage());
        e = assertThrows(UserInputException.class,
                () -> Controls.none().withTarget(new Target.Shape(new Mask(10, 10, new float[100]))).resolve(10, 10, 10, 10));
        assertTrue(e.getMessage().contains("target mask is empty"), e.getMessage());
    }

    @Test
    void masksOfAnotherAspectRatioAreRefusedSameAspectResampled() {
        var e = assertThrows(UserInputException.class,
                () -> new Controls(Mask.box(30, 10, 0, 0, 5, 5), List.of()).resolve(100, 100, 10, 10));
        assertTrue(e.getMessage().contains("object mask is 30x10 but the reference is 100x100"), e.getMessage());
        e = assertThrows(UserInputException.class,
                () -> Controls.none().withTarget(new Target.Shape(Mask.box(50, 10, 0, 0, 5, 5))).resolve(10, 10, 64, 64));
        assertTrue(e.getMessage().contains("target mask is 50x10 but the output is 64x64"), e.getMessage());
        // Same aspect ratio, half the size: resampled, the shape keeps its place.
        Placement p = Controls.none().withTarget(new Target.Shape(Mask.box(32, 32, 0, 0, 16, 16))).resolve(10, 10, 64, 64);
        int[] b = p.instances().get(0).bounds();
        assertEquals(List.of(0, 0, 32, 32), List.of(b[0], b[1], b[2], b[3]));
    }

    @Test
    void fullTargetLeavesNoBackground() {
        Placement p = Controls.none().withTarget(new Target.Shape(Mask.full(8, 8))).resolve(10, 10, 16, 16);
        assertFalse(p.outputHasBackground());
    }

    @Test
    void maskFromGrayTakesWhatStandsOutFromTheBorder() {
        float[] white = new float[100];
        java.util.Arrays.fill(white, 1f);
        for (int y = 3; y < 7; y++) {
            for (int x = 2; x < 8; x++) {
                white[y * 10 + x] = 0f; // black object on white
            }
        }
        Mask m = Mask.fromGray(white, 10, 10);
        assertEquals(24, m.area());
        assertEquals(1f, m.get(4, 4));
        float[] black = new float[100];
        black[55] = 1f; // white dot on black
        assertEquals(1, Mask.fromGray(black, 10, 10).area());
        assertEquals(1f, Mask.fromGray(black, 10, 10).get(5, 5));
    }

    @Test
    void boxParsing() {
        assertEquals(new Target.Box(1, 2, 3, 4), Target.Box.parse(" 1, 2,3 ,4"));
        var e = assertThrows(UserInputException.class, () -> Target.Box.parse("1,2,3"));
        assertTrue(e.getMessage().contains("x,y,width,height"), e.getMessage());
        e = assertThrows(UserInputException.class, () -> Target.Box.parse("1,2,3,a"));
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void resizeKeepsThinShapesWhenShrinking() {
        Mask line = Mask.box(200, 200, 0, 100, 200, 2); // a 2-pixel line
        Mask small = line.resize(20, 20);
        float max = 0;
        for (float v : small.values()) {
            max = Math.max(max, v);
        }
        assertTrue(max > 0.15f, "box averaging keeps a trace of the line: " + max);
        assertNull(new Mask(4, 4, new float[16]).bounds());
    }

    private static Mask triangle(int w, int h, int x0, int y0, int side) {
        float[] v = new float[w * h];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x <= y; x++) {
                v[(y0 + y) * w + x0 + x] = 1f;
            }
        }
        return new Mask(w, h, v);
    }
}
