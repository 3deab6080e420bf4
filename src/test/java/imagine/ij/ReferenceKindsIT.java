package imagine.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ImageJ image type and shape, and every selection kind, as a reference in real ImageJ:
 * each gives a result window, and the reference (title, size, type, calibration, selection and
 * every pixel, NaN and infinities included) is identical afterwards. Selections that mark no
 * area stop the macro with a message.
 */
class ReferenceKindsIT {

    static final String RUN = "run(\"IMAGINE Synthesize...\", \"samples=1 width=32 height=32 iterations=2 seed=1 "
            + "preset=fast model=mobilenet_v1_0.75_224 class=-1 models_folder=[%s]%s\");";

    /** A fingerprint of the active image: everything a user could lose. */
    static final String FINGERPRINT = String.join("\n",
            "function fp() {",
            "  s = getTitle() + '|' + getWidth() + 'x' + getHeight() + 'x' + nSlices + '|' + bitDepth();",
            "  getPixelSize(unit, pw, ph); s = s + '|' + unit + pw + ',' + ph;",
            "  getSelectionBounds(x, y, w, h); s = s + '|' + selectionType() + ':' + x + ',' + y + ',' + w + ',' + h;",
            "  cur = getSliceNumber(); sum = 0;",
            "  for (i = 1; i <= nSlices; i++) { setSlice(i);",
            "    for (yy = 0; yy < getHeight(); yy++) for (xx = 0; xx < getWidth(); xx++) {",
            "      v = getPixel(xx, yy); if (isNaN(v)) v = -7; if (v == 1/0) v = -11; if (v == -1/0) v = -13;",
            "      sum = (sum * 31 + v * (1 + xx + yy)) % 1000003; } }",
            "  setSlice(cur); return s + '|' + sum + '|' + getSliceNumber();",
            "}",
            "function check(name, opts) {",
            "  ref = getImageID(); before = fp();",
            "  run('IMAGINE Synthesize...', 'samples=1 width=32 height=32 iterations=2 seed=1 preset=fast ' +",
            "      'model=mobilenet_v1_0.75_224 class=-1 models_folder=[' + models + '] ' + opts);",
            "  res = getTitle() + ' ' + getWidth() + 'x' + getHeight() + 'x' + nSlices;",
            "  getMinAndMax(lo, hi); res = res + ' bits=' + bitDepth() + ' inv=' + is('Inverting LUT') + ' range=' + lo + '-' + hi;",
            "  getPixelSize(unit, pw, ph); res = res + ' ' + unit + pw;",
            "  close(); selectImage(ref); after = fp();",
            "  print('CASE ' + name + ' same=' + (before == after) + ' result=' + res);",
            "  if (before != after) print('  before ' + before + '\\n  after  ' + after);",
            "}",
            "");

    @Test
    void everyTypeAndSelectionKind(@TempDir Path ij) throws Exception {
        Path models = TestModels.modelsDir();
        Path ijJar = ImageJMacroIT.installImageJ(ij);
        Path macro = ij.resolve("kinds.ijm");
        Files.writeString(macro, String.join("\n",
                "models = '" + models + "';",
                FINGERPRINT,
                "newImage('b8', '8-bit ramp', 40, 30, 1); check('8-bit', '');",
                "newImage('lut', '8-bit ramp', 40, 30, 1); run('Fire'); check('8-bit-lut', '');",
                "newImage('s16', '16-bit ramp', 40, 30, 1); setMinAndMax(100, 40000); check('16-bit', '');",
                "newImage('f32', '32-bit ramp', 40, 30, 1); setPixel(0, 0, NaN); setPixel(1, 0, 1/0); setPixel(2, 0, -1/0);"
                        + " check('32-bit-nan-inf', '');",
                "newImage('rgb', 'RGB ramp', 40, 30, 1); check('rgb', '');",
                "newImage('inv', '8-bit ramp', 40, 30, 1); run('Invert LUT'); check('inverted-lut', '');",
                "for (c = 2; c <= 5; c++) { newImage('comp' + c, '8-bit ramp composite-mode', 40, 30, c, 1, 1);"
                        + " check('composite-' + c, ''); }",
                // Three of five channels switched on: the samples are a composite of those three.
                "newImage('pick', '8-bit ramp composite-mode', 40, 30, 5, 1, 1); Stack.setActiveChannels('10101');"
                        + " check('composite-5-pick-3', '');",
                // Channel names (slice labels) stay on the samples' channels, the seed after them.
                "newImage('named', '8-bit ramp composite-mode', 40, 30, 2, 1, 1); Stack.setChannel(1);"
                        + " setMetadata('Label', 'DAPI'); Stack.setChannel(2); setMetadata('Label', 'GFP');"
                        + " run('IMAGINE Synthesize...', 'samples=1 width=32 height=32 iterations=2 seed=1 preset=fast "
                        + "model=mobilenet_v1_0.75_224 class=-1 models_folder=[' + models + ']');"
                        + " Stack.setChannel(2); print('NAMES ' + getInfo('slice.label')); close(); close();",
                "newImage('stack', '8-bit ramp', 40, 30, 3); setSlice(2); check('stack-current', '');",
                "newImage('stack2', '8-bit ramp', 40, 30, 3); check('stack-all', 'all_slices');",
                "newImage('hyper', '16-bit ramp composite-mode', 40, 30, 2, 3, 2); Stack.setPosition(2, 2, 1);"
                        + " check('hyperstack-all', 'all_slices');",
                "newImage('one', '8-bit white', 1, 1, 1); check('1x1', '');",
                "newImage('eight', '8-bit ramp', 8, 8, 1); check('8x8', '');",
                "newImage('wide', '8-bit ramp', 200, 20, 1); check('non-square', '');",
                "newImage('cal', '8-bit ramp', 40, 30, 1);"
                        + " run('Properties...', 'channels=1 slices=1 frames=1 pixel_width=0.5 pixel_height=0.5 voxel_depth=1 unit=um');"
                        + " check('calibrated', '');",
                "newImage('sel', '8-bit ramp', 40, 30, 1);",
                "makeRectangle(5, 5, 20, 15); check('roi-rectangle', '');",
                "makeOval(5, 5, 20, 15); check('roi-oval', '');",
                "makePolygon(2, 2, 30, 5, 20, 25); check('roi-polygon', '');",
                "makeSelection('freehand', newArray(3, 20, 35, 10), newArray(3, 2, 20, 28)); check('roi-freehand', '');",
                "makeRectangle(2, 2, 10, 10); setKeyDown('shift'); makeOval(20, 10, 15, 15); setKeyDown('none');"
                        + " check('roi-composite', '');",
                "makeRectangle(-10, -10, 25, 25); check('roi-partly-outside', '');",
                "makeRectangle(0, 0, 40, 30); check('roi-full', '');",
                ""));
        String out = ImageJMacroIT.runBatch(ij, ijJar, macro);
        List<String> cases = out.lines().filter(l -> l.startsWith("CASE ")).toList();
        assertEquals(25, cases.size(), "every case ran: " + out);
        for (String c : cases) {
            assertTrue(c.contains(" same=1 ") && c.contains(" result=IMAGINE "), c + "\n" + out);
        }
        assertTrue(out.contains("CASE stack-all same=1 result=IMAGINE stack2 #1 32x32x3"), out);
        // Gray references give samples of their own type and display range (and LUT), composites showing
        // 2-3 channels composites of those channels; RGB and composites showing more give RGB.
        String[][] kinds = {{"8-bit", " bits=8 inv=0 range=0-255"}, {"8-bit-lut", " bits=8 "},
            {"16-bit", " bits=16 inv=0 range=100-40000"}, {"32-bit-nan-inf", " bits=32 "}, {"rgb", " bits=24 "},
            {"inverted-lut", " bits=8 inv=1 "}, {"composite-2", "x2 bits=8 "}, {"composite-3", "x3 bits=8 "}, {"composite-4", " bits=24 "}, {"composite-5-pick-3", "x3 bits=8 "},
            {"stack-all", " bits=8 "}};
        for (String[] k : kinds) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith("CASE " + k[0] + " same=1 ") && l.contains(k[1])),
                    k[0] + " should give" + k[1] + ": " + out);
        }
        assertTrue(out.contains("NAMES GFP seed=1"), "the second channel keeps its name: " + out);
        assertTrue(out.contains("IMAGINE: comp4 shows 4 channels: more than 3 are taken as the RGB picture displayed"), out);
        assertTrue(out.contains("IMAGINE: pick: the samples hold the channels shown, [1, 3, 5] of its 5"), out);
        assertTrue(out.contains("CASE hyperstack-all same=1 result=IMAGINE hyper #1 32x32x12 bits=16 "),
                "3 slices x 2 frames, each a 2-channel 16-bit composite sample: " + out);
        // A 40 x 30 reference is shown to the classifier at 37 x 28 for a 32 x 32 output: the samples'
        // objects are 0.925 times as large in pixels, so their pixels are 0.5 / 0.925 um.
        assertTrue(out.lines().anyMatch(l -> l.startsWith("CASE calibrated same=1 result=IMAGINE cal #1 32x32x1 ")
                && l.endsWith("m0.5405")), "the calibration (0.5 um) is carried to the result at the samples' scale: " + out);
        assertTrue(out.contains("IMAGINE: the samples show cal at 0.925 times its scale"), out);

        // Selections that mark no area, or nothing inside the image: the macro stops with a message.
        String[][] refused = {
            {"makeLine(0, 0, 30, 20);", "line selection"},
            {"makePoint(10, 10);", "point selection"},
        };
        for (String[] r : refused) {
            Path m = ij.resolve("refused" + r[1].hashCode() + ".ijm");
            Files.writeString(m, String.join("\n", "newImage('ref', '8-bit ramp', 40, 30, 1);", r[0],
                    String.format(RUN, models, ""), "print('CONTINUED ' + getTitle());", ""));
            String o = ImageJMacroIT.runBatch(ij, ijJar, m);
            assertTrue(o.contains("IMAGINE: ") && o.contains(r[1]), r[0] + ": " + o);
            assertTrue(!o.contains("CONTINUED") && !o.contains("Exception"), o);
        }
    }
}
