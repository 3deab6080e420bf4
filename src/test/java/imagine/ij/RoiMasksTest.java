package imagine.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.gui.Line;
import ij.gui.OvalRoi;
import ij.gui.PointRoi;
import ij.gui.PolygonRoi;
import ij.gui.Roi;
import ij.gui.ShapeRoi;
import imagine.UserInputException;
import imagine.controls.Target;
import imagine.image.Mask;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every area selection kind becomes the mask ImageJ would fill; lines and points are refused. */
class RoiMasksTest {

    @Test
    void areaKinds() {
        assertEquals(200, RoiMasks.fromRoi(new Roi(10, 10, 20, 10), 100, 50).area());
        long oval = RoiMasks.fromRoi(new OvalRoi(0, 0, 40, 40), 100, 50).area();
        assertEquals(Math.PI * 400, oval, 40);
        PolygonRoi tri = new PolygonRoi(new int[] {0, 40, 0}, new int[] {0, 0, 40}, 3, Roi.POLYGON);
        assertEquals(800, RoiMasks.fromRoi(tri, 100, 50).area(), 50);
        PolygonRoi free = new PolygonRoi(new int[] {5, 30, 30, 5}, new int[] {5, 5, 30, 30}, 4, Roi.FREEROI);
        assertEquals(625, RoiMasks.fromRoi(free, 100, 50).area(), 40);
        ShapeRoi composite = new ShapeRoi(new Roi(0, 0, 10, 10)).or(new ShapeRoi(new Roi(50, 0, 10, 10)));
        Mask c = RoiMasks.fromRoi(composite, 100, 50);
        assertEquals(200, c.area());
        assertEquals(1f, c.get(55, 5));
        assertEquals(0f, c.get(30, 5));
    }

    @Test
    void aTargetTooSmallInTheOutputIsRefusedInTheReferencesTerms() {
        // A 5x5 rectangle on a 451x300 reference is about 1x1 in a 96x64 output.
        var e = assertThrows(UserInputException.class, () -> RoiMasks.boxes(List.of(new Roi(100, 80, 5, 5)), 451, 300, 96, 64));
        assertTrue(e.getMessage().contains("(5x5 at 100,80 on the reference)") && e.getMessage().contains("of the 96x64 "
                + "output") && e.getMessage().contains("at least 38x38 on the reference"), e.getMessage());
        assertEquals(1, RoiMasks.boxes(List.of(new Roi(100, 80, 40, 40)), 451, 300, 96, 64).size());
    }

    @Test
    void onlyTwoValuedImagesAreMasks() {
        ij.ImagePlus mask = ij.IJ.createImage("m", "8-bit black", 20, 10, 1);
        mask.getProcessor().setRoi(new OvalRoi(2, 2, 10, 6));
        mask.getProcessor().setValue(255);
        mask.getProcessor().fill(mask.getProcessor().getMask());
        assertTrue(RoiMasks.isTwoValued(mask));
        assertTrue(RoiMasks.isTwoValued(ij.IJ.createImage("flat", "16-bit white", 20, 10, 1)), "one value");
        assertTrue(!RoiMasks.isTwoValued(ij.IJ.createImage("ramp", "8-bit ramp", 20, 10, 1)), "a grey ramp");
        ij.ImagePlus rgb = ij.IJ.createImage("rgb", "RGB black", 20, 10, 1);
        rgb.getProcessor().setColor(java.awt.Color.RED);
        rgb.getProcessor().fillRect(0, 0, 5, 5);
        assertTrue(RoiMasks.isTwoValued(rgb), "two colours");
        rgb.getProcessor().setColor(java.awt.Color.GREEN);
        rgb.getProcessor().fillRect(10, 0, 5, 5);
        assertTrue(!RoiMasks.isTwoValued(rgb), "three colours");
    }

    @Test
    void partlyOutsideIsClippedFullyOutsideIsEmpty() {
        assertEquals(100, RoiMasks.fromRoi(new Roi(-10, -10, 20, 20), 100, 50).area());
        assertTrue(RoiMasks.fromRoi(new Roi(200, 200, 20, 20), 100, 50).isEmpty());
    }

    @Test
    void linesAndPointsAreRefused() {
        var e = assertThrows(UserInputException.class, () -> RoiMasks.fromRoi(new Line(0, 0, 10, 10), 100, 50));
        assertTrue(e.getMessage().contains("Use an area selection"), e.getMessage());
        e = assertThrows(UserInputException.class, () -> RoiMasks.fromRoi(new PointRoi(5, 5), 100, 50));
        assertTrue(e.getMessage().contains("cannot mark the object"), e.getMessage());
    }

    @Test
    void targetsAreMappedFromTheReferenceFrameToTheOutput() {
        List<Target> boxes = RoiMasks.boxes(List.of(new Roi(100, 50, 200, 100)), 400, 200, 200, 200);
        assertEquals(new Target.Box(50, 50, 100, 100), boxes.get(0));
        List<Target> shapes = RoiMasks.shapes(List.of(new OvalRoi(0, 0, 200, 200)), 400, 200, 200, 200);
        Mask m = ((Target.Shape) shapes.get(0)).mask();
        assertEquals(200, m.width());
        int[] b = m.bounds();
        assertEquals(0, b[0]);
        assertEquals(100, b[2], 2);
        assertEquals(200, b[3], 2);
        assertThrows(UserInputException.class,
                () -> RoiMasks.shapes(List.of(new Roi(500, 500, 10, 10)), 400, 200, 200, 200));
    }
}
