package imagine.eval;

import imagine.image.RgbImage;
import java.util.Arrays;

/**
 * Three artifacts people see in samples and no loss term measures, each from the pixels alone:
 * <ul>
 *   <li><b>straight edges</b>: gradient energy concentrated on one row or column segment (a box
 *   line, the edge of a pasted rectangle) against the rows or columns around it, relative to the
 *   reference's own (a horizon is a straight edge too): 1 = as straight-edged as the reference;</li>
 *   <li><b>worst-band grain</b>: high-frequency energy (each colour channel minus its 3x3 mean) in
 *   the worst of the four border bands against the interior: 1 = no more grain at the border;</li>
 *   <li><b>off-palette share</b>: the share of pixels whose chroma the reference lacks, or has
 *   only in a trace: their chroma bin holds a larger share of the sample than {@link #DENSER}
 *   times the largest share any bin around it holds of the reference (a lavender smear on a brown
 *   photo): 0 = every colour about as common as in the reference, or rarer.</li>
 * </ul>
 * Written by hand: no library on Maven Central measures these.
 */
public final class Artifacts {

    /** The three measures of one sample against its reference. */
    public record Scores(double straightEdges, double worstBandGrain, double offPalette) {}

    /** The rows on each side a segment is compared with. */
    static final int NEIGHBOURS = 8;
    /** Segments are half the side: a box line spans much of the picture, the curved edge of a blob does not. */
    static final double SEGMENT = 0.5;
    /** Border band: this share of the side; the interior is the central half. */
    static final double BAND = 0.1;
    /** Chroma histogram bins per axis, and how many bins around a reference colour still count as it. */
    static final int BINS = 32;
    static final int NEAR = 1;
    /**
     * How much more of the sample than of the reference a chroma bin may hold before its pixels
     * count as off-palette. Presence alone let a reference with a few lavender pixels (0.02% of a
     * squirrel photo) license a lavender smear on 2-3% of a sample; measured on samples, 4 flags
     * about what a visible cast (R and B both above G) covers.
     */
    static final double DENSER = 4;

    private Artifacts() {}

    public static Scores of(RgbImage reference, RgbImage sample) {
        return find(reference, sample).scores();
    }

    /**
     * The measures with where they were taken: the strongest edge (and the reference's, the unit),
     * the grain bands, the off-palette pixels. {@link MeasureMaps} draws them.
     */
    public record Found(Edge edge, double referenceEdge, Grain grain, boolean[] offPalette) {

        public Scores scores() {
            // A reference without edges (flat) would make any sample's edges look enormous: at least 1.
            return new Scores(edge.ratio() / Math.max(referenceEdge, 1.0), grain.ratio(), share(offPalette));
        }
    }

    public static Found find(RgbImage reference, RgbImage sample) {
        return baseline(reference, sample.width(), sample.height()).find(sample);
    }

    /**
     * The reference's side of the measures for samples of {@code width x height}: its straight-edge
     * peak at that size and its palette. Computed once, then {@link Baseline#find} per sample (the
     * reference is rescaled and its colours binned once, not for each sample).
     */
    public static Baseline baseline(RgbImage reference, int width, int height) {
        RgbImage ref = reference.width() == width && reference.height() == height ? reference
                : reference.scaledToArea(width, height);
        return new Baseline(straightEdgePeak(ref), palette(reference));
    }

    /** See {@link #baseline}; {@code palette} holds, per chroma bin, the largest share of the reference in a bin around it. */
    public record Baseline(double edge, double[] palette) {

        public Found find(RgbImage sample) {
            return new Found(strongestEdge(sample), edge, grain(sample), offPalette(palette, sample));
        }

        public Scores of(RgbImage sample) {
            return find(sample).scores();
        }
    }

    /**
     * Where the strongest straight edge lies: along rows (a horizontal line between row {@code line}
     * and the next) or columns, from {@code start} for {@code length} pixels, and its ratio.
     */
    public record Edge(double ratio, boolean vertical, int line, int start, int length) {}

    /**
     * The largest ratio, over rows (and columns) and over segments half the side long, of
     * the segment's mean absolute gradient across it to the median of the same segment in the
     * rows around it (the two rows next to it left out, so a soft edge does not hide itself).
     */
    static double straightEdgePeak(RgbImage img) {
        return strongestEdge(img).ratio();
    }

    /** The segment that gives {@link #straightEdgePeak}. */
    public static Edge strongestEdge(RgbImage img) {
        float[] g = luminance(img);
        Edge rows = peak(g, img.width(), img.height(), false);
        Edge cols = peak(g, img.width(), img.height(), true);
        return cols.ratio() > rows.ratio() ? cols : rows;
    }

    private static Edge peak(float[] lum, int w, int h, boolean columns) {
        int len = columns ? h : w; // along the segment
        int lines = columns ? w : h; // across
        int seg = Math.max(4, (int) (len * SEGMENT));
        Edge best = new Edge(0, columns, 0, 0, seg);
        for (int start = 0; start + seg <= len; start += Math.max(1, seg / 2)) {
            double[] e = new double[lines - 1];
            for (int r = 0; r < lines - 1; r++) {
                double sum = 0;
                for (int t = start; t < start + seg; t++) {
                    float a = columns ? lum[t * w + r] : lum[r * w + t];
                    float b = columns ? lum[t * w + r + 1] : lum[(r + 1) * w + t];
                    sum += Math.abs(b - a);
                }
                e[r] = sum / seg;
            }
            for (int r = 2; r < e.length - 2; r++) {
                double[] around = new double[2 * NEIGHBOURS];
                int n = 0;
                for (int d = 2; d <= NEIGHBOURS + 1; d++) {
                    if (r - d >= 0) {
                        around[n++] = e[r - d];
                    }
                    if (r + d < e.length) {
                        around[n++] = e[r + d];
                    }
                }
                if (n < 4) {
                    continue;
                }
                double[] a = Arrays.copyOf(around, n);
                Arrays.sort(a);
                double ratio = e[r] / (a[n / 2] + 0.01);
                if (ratio > best.ratio()) {
                    best = new Edge(ratio, columns, r, start, seg);
                }
            }
        }
        return best;
    }

    /** A rectangle of the picture, {@code [x0, x1) x [y0, y1)}. */
    public record Box(int x0, int y0, int x1, int y1) {}

    /**
     * The grain measure with what it compared: the per-pixel high-frequency energy, the interior
     * (the central half) and the worst of the four border bands.
     */
    public record Grain(double ratio, double[] energy, Box interior, Box worstBand) {}

    /** High-frequency energy of the worst border band over the interior's. */
    static double worstBandGrain(RgbImage img) {
        return grain(img).ratio();
    }

    public static Grain grain(RgbImage img) {
        int w = img.width();
        int h = img.height();
        double[] hf = new double[w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sum = 0;
                    int n = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx;
                            int yy = y + dy;
                            if (xx >= 0 && yy >= 0 && xx < w && yy < h) {
                                sum += img.get(c, xx, yy);
                                n++;
                            }
                        }
                    }
                    hf[y * w + x] += Math.abs(img.get(c, x, y) - sum / n);
                }
            }
        }
        int bw = Math.max(2, (int) Math.round(w * BAND));
        int bh = Math.max(2, (int) Math.round(h * BAND));
        Box interior = new Box(w / 4, h / 4, w - w / 4, h - h / 4);
        Box[] bands = {new Box(0, 0, w, bh), new Box(0, h - bh, w, h), new Box(0, 0, bw, h), new Box(w - bw, 0, w, h)};
        Box worst = bands[0];
        double worstEnergy = -1;
        for (Box b : bands) {
            double e = mean(hf, w, b);
            if (e > worstEnergy) {
                worst = b;
                worstEnergy = e;
            }
        }
        return new Grain(worstEnergy / Math.max(mean(hf, w, interior), 1e-4), hf, interior, worst);
    }

    private static double mean(double[] v, int w, Box b) {
        return mean(v, w, b.x0(), b.y0(), b.x1(), b.y1());
    }

    private static double mean(double[] v, int w, int x0, int y0, int x1, int y1) {
        double sum = 0;
        long n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                sum += v[y * w + x];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /**
     * The share of the sample's pixels whose chroma (Cb, Cr) bin holds more than {@link #DENSER}
     * times the largest share of the reference in that bin or next to it.
     */
    static double offPaletteShare(RgbImage reference, RgbImage sample) {
        return share(offPalette(reference, sample));
    }

    private static double share(boolean[] flags) {
        long n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n / (double) flags.length;
    }

    /** Per sample pixel (row-major): whether its chroma is one the reference lacks or has only in a trace. */
    public static boolean[] offPalette(RgbImage reference, RgbImage sample) {
        return offPalette(palette(reference), sample);
    }

    /** The share of the reference's pixels in each chroma bin, its largest within {@link #NEAR} bins. */
    private static double[] palette(RgbImage reference) {
        double[] share = histogram(bins(reference));
        double[] around = new double[BINS * BINS];
        for (int by = 0; by < BINS; by++) {
            for (int bx = 0; bx < BINS; bx++) {
                double m = 0;
                for (int dy = -NEAR; dy <= NEAR; dy++) {
                    for (int dx = -NEAR; dx <= NEAR; dx++) {
                        int xx = bx + dx;
                        int yy = by + dy;
                        if (xx >= 0 && yy >= 0 && xx < BINS && yy < BINS) {
                            m = Math.max(m, share[yy * BINS + xx]);
                        }
                    }
                }
                around[by * BINS + bx] = m;
            }
        }
        return around;
    }

    /** Each pixel's chroma bin, row-major. */
    private static int[] bins(RgbImage img) {
        int[] b = new int[img.width() * img.height()];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                b[y * img.width() + x] = bin(img, x, y);
            }
        }
        return b;
    }

    /** The share of the pixels in each chroma bin. */
    private static double[] histogram(int[] bins) {
        double[] h = new double[BINS * BINS];
        double one = 1.0 / bins.length;
        for (int b : bins) {
            h[b] += one;
        }
        return h;
    }

    private static boolean[] offPalette(double[] palette, RgbImage sample) {
        int[] bins = bins(sample);
        double[] share = histogram(bins);
        boolean[] off = new boolean[bins.length];
        for (int i = 0; i < bins.length; i++) {
            off[i] = share[bins[i]] > DENSER * palette[bins[i]];
        }
        return off;
    }

    /** The chroma bin of a pixel: Cb and Cr (ITU-R BT.601), each in [-0.5, 0.5]. */
    private static int bin(RgbImage img, int x, int y) {
        double r = img.get(0, x, y);
        double g = img.get(1, x, y);
        double b = img.get(2, x, y);
        double cb = -0.168736 * r - 0.331264 * g + 0.5 * b;
        double cr = 0.5 * r - 0.418688 * g - 0.081312 * b;
        int i = (int) Math.min(BINS - 1, Math.max(0, Math.floor((cb + 0.5) * BINS)));
        int j = (int) Math.min(BINS - 1, Math.max(0, Math.floor((cr + 0.5) * BINS)));
        return j * BINS + i;
    }

    private static float[] luminance(RgbImage img) {
        int n = img.width() * img.height();
        float[] g = new float[n];
        float[] p = img.planes();
        for (int i = 0; i < n; i++) {
            g[i] = 0.299f * p[i] + 0.587f * p[n + i] + 0.114f * p[2 * n + i];
        }
        return g;
    }
}
