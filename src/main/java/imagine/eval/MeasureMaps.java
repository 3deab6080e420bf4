package imagine.eval;

import imagine.image.Regions;
import imagine.image.RgbImage;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One picture per sample that shows where each artifact measure looks, so a number in a report
 * can be checked by eye: the strongest straight edge as a red line; the high-frequency energy with
 * the interior (green) and the worst border band (red); the off-palette pixels in magenta; the
 * class evidence's regions, the largest in green and the others in red. Panels side by side, each
 * with its value underneath.
 */
public final class MeasureMaps {

    /** Panels are drawn at least this large, so a 224 px sample's lines stay visible. */
    static final int MIN_SIDE = 256;
    private static final int CAPTION = 22;

    private MeasureMaps() {}

    /**
     * The panels for {@code sample}, from what {@link Artifacts#find} found in it; {@code evidence}
     * (the sample's evidence map for the target class, row-major, or null) adds the region panel.
     */
    public static BufferedImage draw(Artifacts.Found found, RgbImage sample, float[] evidence) {
        Artifacts.Scores scores = found.scores();
        List<BufferedImage> panels = new ArrayList<>();
        List<String> captions = new ArrayList<>();

        panels.add(edgePanel(sample, found.edge()));
        captions.add(String.format(Locale.ROOT, "straight edges %.2f", scores.straightEdges()));

        panels.add(grainPanel(sample.width(), sample.height(), found.grain()));
        captions.add(String.format(Locale.ROOT, "worst-band grain %.2f", scores.worstBandGrain()));

        panels.add(offPalettePanel(sample, found.offPalette()));
        captions.add(String.format(Locale.ROOT, "off-palette %.1f%%", 100.0 * scores.offPalette()));

        if (evidence != null) {
            Regions r = EvidenceRegions.regions(evidence, sample.width(), sample.height());
            panels.add(regionPanel(sample, r));
            captions.add(Double.isNaN(r.largestShare()) ? "one region: no evidence"
                    : String.format(Locale.ROOT, "one region %.2f", r.largestShare()));
        }
        return assemble(panels, captions);
    }

    private static BufferedImage edgePanel(RgbImage sample, Artifacts.Edge e) {
        BufferedImage img = dimmed(sample);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.RED);
        g.setStroke(new BasicStroke(Math.max(1f, sample.width() / 112f)));
        // The edge lies between line and line + 1.
        if (e.vertical()) {
            g.drawLine(e.line() + 1, e.start(), e.line() + 1, e.start() + e.length() - 1);
        } else {
            g.drawLine(e.start(), e.line() + 1, e.start() + e.length() - 1, e.line() + 1);
        }
        g.dispose();
        return img;
    }

    private static BufferedImage grainPanel(int w, int h, Artifacts.Grain grain) {
        double[] sorted = grain.energy().clone();
        Arrays.sort(sorted);
        double top = Math.max(sorted[(int) (0.99 * (sorted.length - 1))], 1e-6);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < grain.energy().length; i++) {
            int v = (int) Math.round(255 * Math.min(1, grain.energy()[i] / top));
            img.setRGB(i % w, i / w, v << 16 | v << 8 | v);
        }
        Graphics2D g = img.createGraphics();
        g.setStroke(new BasicStroke(Math.max(1f, w / 112f)));
        box(g, Color.GREEN, grain.interior());
        box(g, Color.RED, grain.worstBand());
        g.dispose();
        return img;
    }

    private static void box(Graphics2D g, Color c, Artifacts.Box b) {
        g.setColor(c);
        g.drawRect(b.x0(), b.y0(), b.x1() - b.x0() - 1, b.y1() - b.y0() - 1);
    }

    private static BufferedImage offPalettePanel(RgbImage sample, boolean[] off) {
        int w = sample.width();
        BufferedImage img = new BufferedImage(w, sample.height(), BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < off.length; i++) {
            int x = i % w;
            int y = i / w;
            int v = (int) Math.round(255 * clamp(0.299 * sample.get(0, x, y) + 0.587 * sample.get(1, x, y)
                    + 0.114 * sample.get(2, x, y)));
            img.setRGB(x, y, off[i] ? 0xFF00FF : v << 16 | v << 8 | v);
        }
        return img;
    }

    private static BufferedImage regionPanel(RgbImage sample, Regions r) {
        BufferedImage img = dimmed(sample);
        for (int i = 0; i < r.label().length; i++) {
            if (r.label()[i] == 0) {
                continue;
            }
            int x = i % sample.width();
            int y = i / sample.width();
            int c = img.getRGB(x, y);
            int tint = r.label()[i] == r.largest() ? 0x00C000 : 0xE00000;
            img.setRGB(x, y, mix(c, tint));
        }
        return img;
    }

    /** The sample at half contrast around mid-gray, so drawn marks stand out. */
    private static BufferedImage dimmed(RgbImage sample) {
        BufferedImage img = new BufferedImage(sample.width(), sample.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < sample.height(); y++) {
            for (int x = 0; x < sample.width(); x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    int v = (int) Math.round(255 * clamp(0.25 + 0.5 * sample.get(c, x, y)));
                    rgb = rgb << 8 | v;
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    private static int mix(int a, int b) {
        int r = (((a >> 16) & 255) + ((b >> 16) & 255)) / 2;
        int g = (((a >> 8) & 255) + ((b >> 8) & 255)) / 2;
        int bl = ((a & 255) + (b & 255)) / 2;
        return r << 16 | g << 8 | bl;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static BufferedImage assemble(List<BufferedImage> panels, List<String> captions) {
        int w0 = panels.get(0).getWidth();
        int h0 = panels.get(0).getHeight();
        double zoom = Math.max(1, Math.ceil(MIN_SIDE / (double) Math.min(w0, h0)));
        int pw = (int) (w0 * zoom);
        int ph = (int) (h0 * zoom);
        int gap = 6;
        BufferedImage out = new BufferedImage(panels.size() * pw + (panels.size() - 1) * gap, ph + CAPTION,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int i = 0; i < panels.size(); i++) {
            int x = i * (pw + gap);
            g.drawImage(panels.get(i), x, 0, pw, ph, null);
            g.setColor(Color.BLACK);
            g.drawString(captions.get(i), x + 4, ph + CAPTION - 6);
        }
        g.dispose();
        return out;
    }
}
