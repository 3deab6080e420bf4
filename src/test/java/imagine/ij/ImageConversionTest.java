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
import imagine.image.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** References of every basic ImageJ type map to the engine and back (gray as gray, the rest as displayed), and are never modified. */
class ImageConversionTest {

    @Test
    void eightBitIsItsGrayValuesWhateverItsLut() {
        ByteProcessor bp = new ByteProcessor(4, 3);
        bp.set(0, 0, 255);
        bp.set(1, 0, 51);
        bp.setLut(LUT.createLutFromColor(java.awt.Color.RED));
        ImagePlus imp = new ImagePlus("b", bp);
        byte[] before = ((byte[]) bp.getPixels()).clone();
        RgbImage rgb = ImageConversion.toRgb(imp);
        assertEquals(1f, rgb.get(0, 0, 0), 1e-6);
        assertEquals(0.2f, rgb.get(1, 1, 0), 1e-6, "the data, not the red LUT's colour: R = G = B");
        assertTrue(rgb.isGray());
        assertArrayEquals(before, (byte[]) imp.getProcessor().getPixels());
    }

    @Test
    void grayReferencesComeBackInTheirTypeRangeAndLut() {
        ShortProcessor sp = new ShortProcessor(3, 1);
        sp.set(0, 0, 100);
        sp.set(1, 0, 20050);
        sp.set(2, 0, 40000);
        sp.setMinAndMax(100, 40000);
        sp.setLut(LUT.createLutFromColor(java.awt.Color.GREEN));
        ImagePlus imp = new ImagePlus("s16", sp);
        GrayMapping m = GrayMapping.of(imp);
        RgbImage unit = m.toUnit(sp);
        assertEquals(0.5f, unit.get(0, 1, 0), 1e-4);
        ij.process.ImageProcessor back = m.fromUnit(unit);
        assertTrue(back instanceof ShortProcessor, "16-bit in, 16-bit out");
        assertEquals(100, back.get(0, 0));
        assertEquals(20050, back.get(1, 0), 1);
        assertEquals(40000, back.get(2, 0));
        assertEquals(100, back.getMin(), 1e-9);
        assertEquals(40000, back.getMax(), 1e-9);
        assertEquals(java.awt.Color.GREEN.getRGB(), back.getLut().getRGB(255), "the LUT is kept");

        ByteProcessor inv = new ByteProcessor(2, 1);
        inv.set(0, 0, 0);
        inv.set(1, 0, 255);
        inv.invertLut();
        GrayMapping mi = GrayMapping.of(new ImagePlus("inv", inv));
        RgbImage seen = mi.toUnit(inv);
        assertEquals(1f, seen.get(0, 0, 0), 1e-6, "0 under an inverting LUT is shown white, and seen so");
        ij.process.ImageProcessor invBack = mi.fromUnit(seen);
        assertEquals(0, invBack.get(0, 0));
        assertEquals(255, invBack.get(1, 0));
        assertTrue(invBack.isInvertedLut());

        FloatProcessor fp = new FloatProcessor(2, 1, new float[] {-2.5f, 7.5f});
        fp.setMinAndMax(-2.5, 7.5);
        GrayMapping mf = GrayMapping.of(new ImagePlus("f", fp));
        ij.process.ImageProcessor fBack = mf.fromUnit(mf.toUnit(fp));
        assertTrue(fBack instanceof FloatProcessor);
        assertEquals(-2.5f, fBack.getf(0), 1e-5);
        assertEquals(7.5f, fBack.getf(1), 1e-5);

        ColorProcessor cp = new ColorProcessor(2, 2);
        assertEquals(null, GrayMapping.of(new ImagePlus("rgb", cp)), "RGB keeps the RGB route");
    }

    @Test
    void aTwoChannelCompositeComesBackAsAComposite() {
        ImageStack st = new ImageStack(2, 1);
        ShortProcessor a = new ShortProcessor(2, 1);
        a.set(0, 0, 100);
        a.set(1, 0, 4000);
        ShortProcessor b = new ShortProcessor(2, 1);
        b.set(0, 0, 500);
        b.set(1, 0, 50);
        st.addSlice(a);
        st.addSlice(b);
        ImagePlus imp = new ImagePlus("two", st);
        imp.setDimensions(2, 1, 1);
        CompositeImage ci = new CompositeImage(imp, CompositeImage.COMPOSITE);
        LUT magenta = LUT.createLutFromColor(java.awt.Color.MAGENTA);
        magenta.min = 100;
        magenta.max = 4000;
        LUT green = LUT.createLutFromColor(java.awt.Color.GREEN);
        green.min = 50;
        green.max = 500;
        ci.setChannelLut(magenta, 1);
        ci.setChannelLut(green, 2);
        CompositeMapping m = CompositeMapping.of(ci);
        assertEquals(2, m.channels().size());
        assertArrayEquals(new float[] {1, 0, 1}, m.colors().colors().get(0), 1e-6f, "magenta");
        RgbImage ref = m.reference(ci, 1, 1);
        assertEquals(0f, ref.get(0, 0, 0), 1e-6, "pixel 0: channel 1 at its bottom, no red");
        assertEquals(1f, ref.get(1, 0, 0), 1e-6, "pixel 0: channel 2 at its top, green");
        assertEquals(1f, ref.get(0, 1, 0), 1e-6, "pixel 1: channel 1 at its top, magenta");
        assertEquals(1f, ref.get(2, 1, 0), 1e-6);
        assertEquals(0f, ref.get(1, 1, 0), 1e-6, "pixel 1: channel 2 at its bottom");
        float[] channels = {0, 1, 1, 0}; // channel 1 then channel 2, two pixels each
        List<ij.process.ImageProcessor> back = m.fromUnit(channels, 2, 1);
        assertEquals(100, back.get(0).get(0, 0));
        assertEquals(4000, back.get(0).get(1, 0));
        assertEquals(500, back.get(1).get(0, 0));
        ImageStack out = new ImageStack(2, 1);
        back.forEach(out::addSlice);
        ImagePlus composite = m.toComposite("out", out);
        assertTrue(composite.isComposite());
        assertEquals(2, composite.getNChannels());
        assertEquals(16, composite.getBitDepth());
        assertEquals(100, ((CompositeImage) composite).getChannelLut(1).min, 1e-9);
        assertEquals(500, ((CompositeImage) composite).getChannelLut(2).max, 1e-9);
        assertEquals(java.awt.Color.GREEN.getRGB(), ((CompositeImage) composite).getChannelLut(2).getRGB(255));
    }

    @Test
    void theChannelsSwitchedOnAreTheOnesTaken() {
        // Five 8-bit channels, channel c holding the value 10 * c everywhere, each with its own colour.
        ImageStack st = new ImageStack(2, 1);
        for (int c = 1; c <= 5; c++) {
            ij.process.ByteProcessor bp = new ij.process.ByteProcessor(2, 1);
            bp.set(10 * c);
            st.addSlice(bp);
        }
        ImagePlus imp = new ImagePlus("five", st);
        imp.setDimensions(5, 1, 1);
        CompositeImage ci = new CompositeImage(imp, CompositeImage.COMPOSITE);
        java.awt.Color[] colours = {java.awt.Color.RED, java.awt.Color.GREEN, java.awt.Color.BLUE, java.awt.Color.CYAN,
            java.awt.Color.MAGENTA};
        for (int c = 1; c <= 5; c++) {
            LUT lut = LUT.createLutFromColor(colours[c - 1]);
            lut.min = 0;
            lut.max = 100;
            ci.setChannelLut(lut, c);
        }
        ci.setActiveChannels("11111");
        assertEquals(null, CompositeMapping.of(ci), "five shown: the RGB route");
        assertTrue(CompositeMapping.whyBlended(ci).contains("shows 5 channels"), CompositeMapping.whyBlended(ci));

        ci.setActiveChannels("01011");
        CompositeMapping m = CompositeMapping.of(ci);
        assertEquals(List.of(2, 4, 5), m.indices());
        assertEquals(null, CompositeMapping.whyBlended(ci));
        assertArrayEquals(new float[] {0, 1, 1}, m.colors().colors().get(1), 1e-6f, "channel 4 is cyan");
        // The reference shows channels 2, 4 and 5: green 0.2 + cyan 0.4 + magenta 0.5, per RGB component.
        RgbImage ref = m.reference(ci, 1, 1);
        assertEquals(0.5f, ref.get(0, 0, 0), 1e-2, "red: magenta's 0.5");
        assertEquals(Math.min(1f, 0.2f + 0.4f), ref.get(1, 0, 0), 1e-2, "green: channel 2 and cyan");
        assertEquals(Math.min(1f, 0.4f + 0.5f), ref.get(2, 0, 0), 1e-2, "blue: cyan and magenta");
        ImageStack out = new ImageStack(2, 1);
        m.fromUnit(new float[] {0.2f, 0.2f, 0.4f, 0.4f, 0.5f, 0.5f}, 2, 1).forEach(out::addSlice);
        CompositeImage back = (CompositeImage) m.toComposite("out", out);
        assertEquals(3, back.getNChannels());
        assertEquals(java.awt.Color.CYAN.getRGB(), back.getChannelLut(2).getRGB(255), "the shown channels' LUTs, in order");
        assertEquals(40, back.getStack().getProcessor(2).get(0, 0), "channel 4's values come back as channel 4's");

        ci.setActiveChannels("00100");
        assertEquals(null, CompositeMapping.of(ci), "one channel shown: the RGB route, as displayed");
        assertEquals(null, CompositeMapping.whyBlended(ci));
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

    @Test
    void allSlicesOfAStackAreRenderedWithTheCurrentDisplay() {
        ImageStack st = new ImageStack(2, 1);
        for (int z = 0; z < 3; z++) {
            ShortProcessor sp = new ShortProcessor(2, 1);
            sp.set(0, 0, 1000 * (z + 1));
            st.addSlice(sp);
        }
        ImagePlus imp = new ImagePlus("stack", st);
        imp.setSlice(2);
        imp.setDisplayRange(1000, 3000);
        List<ImageConversion.Plane> planes = ImageConversion.planes(imp);
        assertEquals(3, planes.size());
        assertEquals("z=1", planes.get(0).label());
        assertEquals(0f, planes.get(0).image().get(0, 0, 0), 1e-6, "1000 is the display minimum");
        assertEquals(0.5f, planes.get(1).image().get(0, 0, 0), 0.01);
        assertEquals(1f, planes.get(2).image().get(0, 0, 0), 1e-6);
        assertEquals(2, imp.getCurrentSlice(), "the user's position is not changed");
        assertEquals(1000, imp.getDisplayRangeMin(), 1e-9);
    }

    @Test
    void allPlanesOfACompositeHyperstackAreBlends() {
        ImageStack st = new ImageStack(1, 1);
        // c, z, t order: 2 channels, 1 slice, 2 frames; frame 2 lights channel 2 only.
        int[][] values = {{255, 0}, {0, 255}};
        for (int t = 0; t < 2; t++) {
            for (int c = 0; c < 2; c++) {
                ByteProcessor bp = new ByteProcessor(1, 1);
                bp.set(0, 0, values[t][c]);
                st.addSlice(bp);
            }
        }
        ImagePlus imp = new ImagePlus("hyper", st);
        imp.setDimensions(2, 1, 2);
        imp.setOpenAsHyperStack(true);
        CompositeImage ci = new CompositeImage(imp, CompositeImage.COMPOSITE);
        List<ImageConversion.Plane> planes = ImageConversion.planes(ci);
        assertEquals(List.of("t=1", "t=2"), planes.stream().map(ImageConversion.Plane::label).toList());
        assertEquals(1f, planes.get(0).image().get(0, 0, 0), 1e-6, "frame 1: channel 1 (red)");
        assertEquals(0f, planes.get(0).image().get(1, 0, 0), 1e-6);
        assertEquals(1f, planes.get(1).image().get(1, 0, 0), 1e-6, "frame 2: channel 2 (green)");
        assertEquals(0f, planes.get(1).image().get(0, 0, 0), 1e-6);
    }

    @Test
    void aHugeReferenceIsScaledDownNotCopiedWhole() {
        // 20000 x 20000 8-bit: 400 MB as bytes, 4.8 GB as RGB floats; converted at 4096 x 4096.
        ByteProcessor bp = new ByteProcessor(20000, 20000);
        bp.setColor(200);
        bp.setRoi(0, 0, 10000, 20000);
        bp.fill();
        bp.resetRoi();
        ImagePlus imp = new ImagePlus("huge", bp);
        imp.setRoi(new ij.gui.OvalRoi(5000, 5000, 10000, 10000));
        RgbImage rgb = ImageConversion.toRgb(imp);
        assertEquals(4096, rgb.width());
        assertEquals(4096, rgb.height());
        assertEquals(200 / 255f, rgb.get(0, 100, 2000), 1e-6, "left half bright");
        assertEquals(0f, rgb.get(0, 4000, 2000), 1e-6, "right half dark");
        imagine.image.Mask m = RoiMasks.objectMask(imp);
        assertEquals(4096, m.width(), "the object mask is drawn at the same scale");
        int[] b = m.bounds();
        assertEquals(1024, b[0], 2);
        assertEquals(2048, b[2], 3);
        assertEquals(20000, imp.getWidth(), "the reference itself is untouched");
        assertEquals(200, imp.getProcessor().get(0, 0));
    }

    @Test
    void tinyReferencesConvert() {
        ImagePlus one = new ImagePlus("1x1", new ByteProcessor(1, 1));
        assertEquals(1, ImageConversion.toRgb(one).width());
        ImagePlus eight = new ImagePlus("8x8", new FloatProcessor(8, 8));
        assertEquals(8, ImageConversion.toRgb(eight).height());
    }
}
