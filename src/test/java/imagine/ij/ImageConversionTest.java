package imagine.ij;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.LUT;
import ij.process.ShortProcessor;
import imagine.core.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** References of every basic ImageJ type map to RGB as displayed, and are never modified. */
class ImageConversionTest {

    @Test
    void eightBitUsesItsLut() {
        ByteProcessor bp = new ByteProcessor(4, 3);
        bp.set(0, 0, 255);
        bp.setLut(LUT.createLutFromColor(java.awt.Color.RED));
        ImagePlus imp = new ImagePlus("b", bp);
        byte[] before = ((byte[]) bp.getPixels()).clone();
        RgbImage rgb = ImageConversion.toRgb(imp);
        assertEquals(1f, rgb.get(0, 0, 0), 1e-6);
        assertEquals(0f, rgb.get(1, 0, 0), 1e-6, "red LUT: no green");
        assertArrayEquals(before, (byte[]) imp.getProcessor().getPixels());
    }

    @Test
    void sixteenBitUsesTheDisplayRange() {
        ShortProcessor sp = new ShortProcessor(2, 1);
        sp.set(0, 0, 1000);
        sp.set(1, 0, 3000);
        sp.setMinAndMax(1000, 3000);
        RgbImage rgb = ImageConversion.toRgb(new ImagePlus("s", sp));
        assertEquals(0f, rgb.get(0, 0, 0), 1e-6);
        assertEquals(1f, rgb.get(0, 1, 0), 1e-6);
    }

    @Test
    void floatWithNanAndInfinityGivesFiniteValues() {
        FloatProcessor fp = new FloatProcessor(3, 1, new float[] {Float.NaN, Float.POSITIVE_INFINITY, 0.5f});
        fp.setMinAndMax(0, 1);
        RgbImage rgb = ImageConversion.toRgb(new ImagePlus("f", fp));
        for (float v : rgb.planes()) {
            assertTrue(Float.isFinite(v) && v >= 0 && v <= 1);
        }
        assertEquals(0.5f, rgb.get(0, 2, 0), 0.01);
    }

    @Test
    void rgbPassesThrough() {
        ColorProcessor cp = new ColorProcessor(2, 2);
        cp.set(1, 1, 0x102030);
        RgbImage rgb = ImageConversion.toRgb(new ImagePlus("c", cp));
        assertEquals(0x10 / 255f, rgb.get(0, 1, 1), 1e-6);
        assertEquals(0x30 / 255f, rgb.get(2, 1, 1), 1e-6);
    }

    @Test
    void compositeIsSeenAsItsBlend() {
        ImageStack st = new ImageStack(2, 2);
        for (int c = 0; c < 3; c++) {
            ByteProcessor bp = new ByteProcessor(2, 2);
            bp.set(c % 2, c / 2, 255);
            st.addSlice(bp);
        }
        ImagePlus imp = new ImagePlus("comp", st);
        imp.setDimensions(3, 1, 1);
        CompositeImage ci = new CompositeImage(imp, CompositeImage.COMPOSITE);
        RgbImage rgb = ImageConversion.toRgb(ci);
        assertEquals(1f, rgb.get(0, 0, 0), 1e-6, "channel 1 is red at (0,0)");
        assertEquals(1f, rgb.get(1, 1, 0), 1e-6, "channel 2 is green at (1,0)");
        assertEquals(1f, rgb.get(2, 0, 1), 1e-6, "channel 3 is blue at (0,1)");
    }

    @Test
    void samplesBecomeAStackLabelledWithSeeds() {
        RgbImage a = new RgbImage(3, 2, new float[18]);
        ImagePlus out = ImageConversion.toStack("IMAGINE of x", List.of(a, a), new long[] {7, 8});
        assertEquals(2, out.getStackSize());
        assertEquals("seed=8", out.getStack().getSliceLabel(2));
        assertEquals(ImagePlus.COLOR_RGB, out.getType());
    }
}
