package imagine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.image.RgbImage;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The measure pictures mark what the numbers measured, where it is. */
class MeasureMapsTest {

    private static final int W = 128;
    private static final int ZOOM = 2; // 128 px panels are drawn at 256
    private static final int PANEL = W * ZOOM + 6;

    /**
     * Soft noise, a hard horizontal step between rows 40 and 41, grainy top rows, and a
     * magenta patch; the reference is the same picture without the line, the grain and the patch.
     */
    private static RgbImage sample(boolean artifacts) {
        float[] p = new float[3 * W * W];
        Random r = new Random(3);
        for (int y = 0; y < W; y++) {
            for (int x = 0; x < W; x++) {
                float v = 0.4f + 0.1f * (float) Math.sin(x / 9.0) * (float) Math.cos(y / 7.0);
                if (artifacts && y > 40) {
                    v += 0.3f;
                }
                if (artifacts && y < 10) {
                    v += 0.3f * (r.nextFloat() - 0.5f);
                }
                for (int c = 0; c < 3; c++) {
                    p[c * W * W + y * W + x] = v;
                }
                if (artifacts && x >= 100 && x < 120 && y >= 100 && y < 120) {
                    p[y * W + x] = 0.9f;
                    p[W * W + y * W + x] = 0.1f;
                    p[2 * W * W + y * W + x] = 0.9f;
                }
            }
        }
        return new RgbImage(W, W, p);
    }

    private static boolean reddish(int rgb) {
        int r = (rgb >> 16) & 255;
        int g = (rgb >> 8) & 255;
        int b = rgb & 255;
        return r > 180 && g < 80 && b < 80;
    }

    @Test
    void eachPanelMarksWhereItsMeasureLooks() {
        float[] evidence = new float[W * W];
        for (int y = 0; y < W; y++) {
            for (int x = 0; x < W; x++) {
                boolean big = Math.hypot(x - 40, y - 80) < 20;
                boolean small = Math.hypot(x - 100, y - 30) < 8;
                evidence[y * W + x] = big || small ? 0.9f : 0.05f;
            }
        }
        BufferedImage m = MeasureMaps.draw(Artifacts.find(sample(false), sample(true)), sample(true), evidence);
        assertEquals(4 * W * ZOOM + 3 * 6, m.getWidth(), "four panels side by side");

        // Panel 1: the red line lies on the step between rows 40 and 41.
        Artifacts.Edge e = Artifacts.strongestEdge(sample(true));
        assertTrue(!e.vertical() && e.line() == 40, e.toString());
        assertTrue(reddish(m.getRGB(20 * ZOOM, 41 * ZOOM)), "red on the step's row");
        assertTrue(!reddish(m.getRGB(20 * ZOOM, 80 * ZOOM)), "not elsewhere");

        // Panel 2: the worst band is the grainy top band, outlined in red; the interior in green.
        Artifacts.Grain g = Artifacts.grain(sample(true));
        assertEquals(new Artifacts.Box(0, 0, W, 13), g.worstBand());
        assertTrue(reddish(m.getRGB(PANEL + 60 * ZOOM, 0)), "top edge of the band");
        int interior = m.getRGB(PANEL + 32 * ZOOM, 64 * ZOOM);
        assertTrue(((interior >> 8) & 255) > 200 && ((interior >> 16) & 255) < 80, "green interior box");

        // Panel 3: the magenta patch is the off-palette part, and only it.
        assertEquals(0xFF00FF, m.getRGB(2 * PANEL + 110 * ZOOM, 110 * ZOOM) & 0xFFFFFF);
        int plain = m.getRGB(2 * PANEL + 60 * ZOOM, 90 * ZOOM) & 0xFFFFFF;
        assertTrue(plain != 0xFF00FF && ((plain >> 16) & 255) == (plain & 255), "gray elsewhere");

        // Panel 4: the larger blob is the largest region (green tint), the small one red.
        int big = m.getRGB(3 * PANEL + 40 * ZOOM, 80 * ZOOM);
        int small = m.getRGB(3 * PANEL + 100 * ZOOM, 30 * ZOOM);
        assertTrue(((big >> 8) & 255) > ((big >> 16) & 255) + 40, Integer.toHexString(big));
        assertTrue(((small >> 16) & 255) > ((small >> 8) & 255) + 40, Integer.toHexString(small));
    }

    @Test
    void withoutEvidenceThreePanels() {
        BufferedImage m = MeasureMaps.draw(Artifacts.find(sample(false), sample(false)), sample(false), null);
        assertEquals(3 * W * ZOOM + 2 * 6, m.getWidth());
    }
}
