package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import imagine.model.Scalars;
import imagine.objective.Stage;
import imagine.objective.View;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The random view of the pixels that each step shows the classifier. The pixels are a canvas
 * larger than the output frame by a margin on every side; a view is a box of the canvas around the
 * frame, shifted by up to {@code jitter} pixels and rescaled by up to {@code scaleJitter}, resized
 * to the stage's view size when zoomed, and optionally flipped. Nothing wraps around: DeepInversion's
 * circular roll moved content across the frame and left straight seams. With views_hold_frame the
 * box is the frame plus the jitter on every side at full resolution, so every output pixel is in
 * every view and no view edge (where the classifier's zero padding begins) ever falls inside the
 * output: frame-sized boxes put their edges in the output's outer jitter band, and the samples grew
 * a box of other texture where those edges stopped. Drawn from the run's seeded generator so a run
 * is reproducible.
 */
final class Augmentation {

    private final int jitter;
    private final double scaleJitter;
    private final boolean flips;

    Augmentation(int jitter, double scaleJitter, boolean flips) {
        this.jitter = jitter;
        this.scaleJitter = scaleJitter;
        this.flips = flips;
    }

    /**
     * A window view of a windowed stage: a box of the window's size (up to the zoom) at a position
     * {@code windows} chooses, resized to the window, optionally flipped.
     */
    View drawWindow(Random rng, Stage stage, WindowSampler windows) {
        double zoom = scaleJitter > 0 ? 1 + scaleJitter * (2 * rng.nextDouble() - 1) : 1;
        boolean flip = flips && rng.nextBoolean();
        int vw = stage.viewWidth();
        int vh = stage.viewHeight();
        int bw = Math.min(stage.canvasWidth(), Math.max(2, (int) Math.round(vw / zoom)));
        int bh = Math.min(stage.canvasHeight(), Math.max(2, (int) Math.round(vh / zoom)));
        int[] at = windows.next(rng, stage.canvasWidth() - bw, stage.canvasHeight() - bh, vw, vh);
        return new View(at[0], at[1], bw, bh, vw, vh, flip);
    }

    /**
     * Window positions that visit the whole canvas evenly: a grid with steps of at most half a
     * window that includes both ends, every cell once per round in random order. Inner positions
     * move randomly by up to a quarter step so windows do not always meet at the same lines; the
     * first and last stay put so the canvas's borders are seen every round.
     */
    static final class WindowSampler {
        private final ArrayDeque<int[]> queue = new ArrayDeque<>();

        int[] next(Random rng, int maxX, int maxY, int w, int h) {
            if (queue.isEmpty()) {
                int[] xs = positions(maxX, Math.max(1, w / 2));
                int[] ys = positions(maxY, Math.max(1, h / 2));
                List<int[]> cells = new ArrayList<>();
                for (int y : ys) {
                    for (int x : xs) {
                        cells.add(new int[] {x, y});
                    }
                }
                Collections.shuffle(cells, rng);
                queue.addAll(cells);
            }
            int[] c = queue.poll();
            return new int[] {moved(rng, c[0], maxX, w), moved(rng, c[1], maxY, h)};
        }

        private static int moved(Random rng, int at, int max, int size) {
            if (at == 0 || at >= max) {
                return Math.min(at, max);
            }
            int q = Math.max(1, size / 8);
            return clamp(at + rng.nextInt(2 * q + 1) - q, 0, max);
        }

        /** Evenly spaced positions from 0 to {@code max}, both included, at most {@code step} apart. */
        static int[] positions(int max, int step) {
            int n = max <= 0 ? 1 : (max + step - 1) / step + 1;
            int[] p = new int[n];
            for (int i = 0; i < n; i++) {
                p[i] = n == 1 ? 0 : (int) Math.round((double) i * max / (n - 1));
            }
            return p;
        }
    }

    /** One random view of the frame of {@code stage} (its canvas has the stage's margin), of the stage's view size. */
    View draw(Random rng, Stage stage, double scale) {
        int j = (int) Math.round(jitter * scale);
        int dx = 0;
        int dy = 0;
        if (j > 0) {
            dx = rng.nextInt(2 * j + 1) - j;
            dy = rng.nextInt(2 * j + 1) - j;
        }
        double zoom = scaleJitter > 0 ? 1 + scaleJitter * (2 * rng.nextDouble() - 1) : 1;
        boolean flip = flips && rng.nextBoolean();
        int w = stage.width();
        int h = stage.height();
        int m = stage.margin();
        int vw = stage.viewWidth();
        int vh = stage.viewHeight();
        int bw = Math.min(w + 2 * m, Math.max(2, (int) Math.round(vw / zoom)));
        int bh = Math.min(h + 2 * m, Math.max(2, (int) Math.round(vh / zoom)));
        int x0 = clamp(m + (w - bw) / 2 + dx, 0, w + 2 * m - bw);
        int y0 = clamp(m + (h - bh) / 2 + dy, 0, h + 2 * m - bh);
        return new View(x0, y0, bw, bh, vw, vh, flip);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /**
     * A robust view for the class term, as Plug-In Inversion augments: a random crop of 50% to 100%
     * of the frame's area anywhere in the canvas, resized to the frame (or, when views hold the frame,
     * to the side of the smallest such crop: no crop is enlarged beyond its 5% aspect jitter and the
     * pass costs half a frame's pixels), then blurred by shrinking it to 50-100% and back (half of the
     * time), with a small brightness and colour shift. Evidence the classifier still finds there is
     * in the picture, not in one exact arrangement of pixels.
     */
    RobustView drawRobust(Random rng, Stage stage) {
        int w = stage.width();
        int h = stage.height();
        int m = stage.margin();
        double area = 0.5 + 0.5 * rng.nextDouble();
        double aspect = Math.exp(0.1 * (2 * rng.nextDouble() - 1));
        int bw = Math.min(w + 2 * m, Math.max(8, (int) Math.round(w * Math.sqrt(area * aspect))));
        int bh = Math.min(h + 2 * m, Math.max(8, (int) Math.round(h * Math.sqrt(area / aspect))));
        int x0 = rng.nextInt(w + 2 * m - bw + 1);
        int y0 = rng.nextInt(h + 2 * m - bh + 1);
        boolean flip = flips && rng.nextBoolean();
        double shrink = rng.nextBoolean() ? 0.5 + 0.5 * rng.nextDouble() : 1;
        float gain = (float) (1 + 0.1 * (2 * rng.nextDouble() - 1));
        float[] shift = new float[3];
        for (int c = 0; c < 3; c++) {
            shift[c] = (float) (0.05 * (2 * rng.nextDouble() - 1));
        }
        return new RobustView(new View(x0, y0, bw, bh, robustSide(stage, w), robustSide(stage, h), flip), shrink, gain,
                shift);
    }

    /**
     * How many robust views step {@code iteration} of {@code stage} gets: none in a windowed stage (a
     * window is not the frame, and the crops would have to be of the whole frame), else the configured
     * rate spread evenly over the steps (0.5: one on every second step from the first, 1.5: two and one
     * in turn).
     */
    static int robustViews(Stage stage, double perStep, int iteration) {
        return stage.windowed() ? 0 : (int) (Math.ceil((iteration + 1) * perStep) - Math.ceil(iteration * perStep));
    }

    /** The most robust views any step of {@code stage} gets at this rate (for memory). */
    static int mostRobustViews(Stage stage, double perStep) {
        return stage.windowed() ? 0 : (int) Math.ceil(perStep);
    }

    /**
     * A robust view's side in a stage, for a frame side: frame-sized views share one pass with robust
     * views of the frame's size; views that hold the frame get a pass of their own at the smallest crop's side.
     */
    static int robustSide(Stage stage, int frameSide) {
        return stage.reach() > 0 ? robustSide(frameSide) : frameSide;
    }

    /** A robust view's side for a frame side: that of the smallest crop, half the frame's area. */
    static int robustSide(int frameSide) {
        return Math.max(8, (int) Math.round(frameSide * Math.sqrt(0.5)));
    }

    /** A view, then a blur (shrunk to {@code shrink} and back), a gain and a per-channel shift. */
    record RobustView(View view, double shrink, float gain, float[] shift) {

        NDArray apply(NDArray canvas) {
            NDArray out = view.apply(canvas);
            if (shrink < 1) {
                long[] small = {Math.max(2, Math.round(view.height() * shrink)), Math.max(2, Math.round(view.width() * shrink))};
                out = out.getNDArrayInternal().interpolation(small, 1, false).getNDArrayInternal()
                        .interpolation(new long[] {view.height(), view.width()}, 1, false);
            }
            NDArray s = out.getManager().create(shift, new Shape(1, 3, 1, 1));
            return Scalars.mul(out, gain).add(s);
        }
    }
}
