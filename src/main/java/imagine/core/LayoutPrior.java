package imagine.core;

import imagine.image.RgbImage;
import java.util.Random;

/**
 * Where a sample starts: the reference's layout, not its details. The reference, fitted whole into
 * the output's frame, is flipped, shifted, scaled and turned at random (so samples differ), drawn
 * onto the first stage's canvas and blurred until only its large shapes are left: one object where
 * the reference has one. The optimization then makes the details; noise alone let the class and
 * feature terms place the object's parts anywhere, several times over (collages). The resampling is
 * written by hand (bilinear, with the random transform folded in, over planar floats).
 */
final class LayoutPrior {

    /** Largest random shift, as a fraction of the frame. */
    static final double SHIFT = 0.12;
    /** Largest random change of scale (both ways). */
    static final double SCALE = 0.15;
    /** Largest random turn, in radians (about 12 degrees). */
    static final double TURN = 0.21;

    private LayoutPrior() {}

    /**
     * The reference's layout on a canvas of {@code cw x ch} whose frame starts {@code margin} pixels
     * in: {@code channels} planes (1 for a gray run: the red plane, R = G = B there), blurred with a
     * Gaussian of {@code blur} times the frame's shorter side.
     */
    static float[] draw(RgbImage ref, int cw, int ch, int margin, int channels, double blur, Random r) {
        int fw = cw - 2 * margin;
        int fh = ch - 2 * margin;
        boolean flip = r.nextBoolean();
        double dx = (r.nextDouble() * 2 - 1) * SHIFT;
        double dy = (r.nextDouble() * 2 - 1) * SHIFT;
        double scale = 1 + (r.nextDouble() * 2 - 1) * SCALE;
        double turn = (r.nextDouble() * 2 - 1) * TURN;
        // The whole reference fits in the frame (its border continues outside it): reference pixels per frame pixel.
        // A crop to the frame's aspect ratio would cut off the head or the tail of an animal seen from the side.
        double s = Math.max((double) ref.width() / fw, (double) ref.height() / fh);
        double cos = Math.cos(turn);
        double sin = Math.sin(turn);
        float[] out = new float[channels * cw * ch];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) {
                // Frame coordinates about the frame's centre, undone through the random transform.
                double u = (x + 0.5 - margin) / fw - 0.5 - dx;
                double v = (y + 0.5 - margin) / fh - 0.5 - dy;
                double ru = (cos * u + sin * v) / scale;
                double rv = (-sin * u + cos * v) / scale;
                if (flip) {
                    ru = -ru;
                }
                double px = ref.width() / 2.0 + ru * fw * s - 0.5;
                double py = ref.height() / 2.0 + rv * fh * s - 0.5;
                for (int c = 0; c < channels; c++) {
                    out[(c * ch + y) * cw + x] = sample(ref, c, px, py);
                }
            }
        }
        double sigma = Math.max(0.5, blur * Math.min(fw, fh));
        for (int c = 0; c < channels; c++) {
            imagine.image.GaussianBlur.plane(out, c * cw * ch, cw, ch, sigma);
        }
        return out;
    }

    /** Bilinear, edges clamped: outside the reference its border continues. */
    private static float sample(RgbImage ref, int c, double px, double py) {
        double x = Math.max(0, Math.min(ref.width() - 1, px));
        double y = Math.max(0, Math.min(ref.height() - 1, py));
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int x1 = Math.min(ref.width() - 1, x0 + 1);
        int y1 = Math.min(ref.height() - 1, y0 + 1);
        double fx = x - x0;
        double fy = y - y0;
        double top = ref.get(c, x0, y0) * (1 - fx) + ref.get(c, x1, y0) * fx;
        double bottom = ref.get(c, x0, y1) * (1 - fx) + ref.get(c, x1, y1) * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }
}
