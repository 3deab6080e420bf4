package imagine.cli;

import imagine.eval.Ablation;
import imagine.eval.Quality;
import imagine.image.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One report image: a row per method, the reference first, then the samples, the scores on the left. */
final class Montage {

    static final int CELL = 160;
    static final int LABEL = 210;
    static final int GAP = 4;

    private Montage() {}

    static BufferedImage draw(RgbImage reference, String label, Map<Ablation, List<RgbImage>> samples,
            Map<Ablation, Quality.Scores> scores) {
        int cols = 1 + samples.values().stream().mapToInt(List::size).max().orElse(0);
        int rows = samples.size();
        BufferedImage img = new BufferedImage(LABEL + cols * (CELL + GAP), 24 + rows * (CELL + GAP), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString("class: " + label, 6, 16);
        g.drawString("reference", LABEL, 16);
        g.drawString("samples", LABEL + CELL + GAP, 16);
        int y = 24;
        for (Map.Entry<Ablation, List<RgbImage>> e : samples.entrySet()) {
            Quality.Scores s = scores.get(e.getKey());
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(e.getKey().key(), 6, y + 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            String[] lines = {
                String.format(Locale.ROOT, "class agreement %.2f", s.classAgreement()),
                String.format(Locale.ROOT, "robust agreement %.2f", s.robustAgreement()),
                String.format(Locale.ROOT, "SIFID %s", sifidText(s)),
                String.format(Locale.ROOT, "feature distance %.4f", s.featureDistance()),
                String.format(Locale.ROOT, "diversity %.3f", s.diversity()),
                String.format(Locale.ROOT, "copy score %.3f", s.copyScore())};
            for (int i = 0; i < lines.length; i++) {
                g.drawString(lines[i], 6, y + 42 + 18 * i);
            }
            drawFit(g, reference.toBufferedImage(), LABEL, y);
            int x = LABEL + CELL + GAP;
            for (RgbImage sample : e.getValue()) {
                drawFit(g, sample.toBufferedImage(), x, y);
                x += CELL + GAP;
            }
            y += CELL + GAP;
        }
        g.dispose();
        return img;
    }

    /** Scaled to fit a cell, aspect kept. */
    private static void drawFit(Graphics2D g, BufferedImage b, int x, int y) {
        double f = Math.min((double) CELL / b.getWidth(), (double) CELL / b.getHeight());
        int w = (int) Math.round(b.getWidth() * f);
        int h = (int) Math.round(b.getHeight() * f);
        g.drawImage(b, x + (CELL - w) / 2, y + (CELL - h) / 2, w, h, null);
    }

    /** The SIFID values, stride 4 then 8, as "a / b". */
    static String sifidText(Quality.Scores s) {
        StringBuilder sb = new StringBuilder();
        for (double v : s.sifid()) {
            sb.append(sb.length() > 0 ? " / " : "").append(String.format(Locale.ROOT, "%.2f", v));
        }
        return sb.toString();
    }
}
