package imagine.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import imagine.config.ImagineConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * One resolution of the coarse-to-fine schedule: iterations {@code [first, end)} of the run at
 * {@code width x height}. Each stage starts with a fresh optimizer and fresh reference targets.
 * The pixels are a canvas with {@code margin} extra pixels on every side of that frame, so the
 * random views of a step never run out of picture.
 *
 * @param index position in the schedule (0 = first)
 * @param count how many stages the run has
 * @param reach how far a step's view extends beyond the frame on every side (views_hold_frame: the
 *     jitter, so a view shifted by up to the jitter still holds the whole frame), or 0
 * @param window 0, or the side of the windows each step sees of a frame too large to be seen whole
 */
public record Stage(int index, int count, int width, int height, int margin, int reach, int window, int first,
        int end) {

    /** For progress lines: "coarse 112x112", "fine 224x224", or the size alone for a one-stage run. */
    public String name() {
        String size = width + "x" + height;
        return count > 1 ? (index < count - 1 ? "coarse " : "fine ") + size : size;
    }

    public int iterations() {
        return end - first;
    }

    /** This stage's size relative to the output (jitter and other pixel distances scale with it). */
    public double scale(int outputWidth) {
        return (double) width / outputWidth;
    }

    /** Whether steps see windows of the frame rather than the whole frame. */
    public boolean windowed() {
        return window > 0;
    }

    /** The size of what the classifier sees per step: the frame (with the reach around it), or a window of it. */
    public int viewWidth() {
        return windowed() ? Math.min(window, width) : width + 2 * reach;
    }

    public int viewHeight() {
        return windowed() ? Math.min(window, height) : height + 2 * reach;
    }

    public int canvasWidth() {
        return width + 2 * margin;
    }

    public int canvasHeight() {
        return height + 2 * margin;
    }

    /** The frame (the output's part) of a canvas of this stage: the box inside the margin. */
    public NDArray frame(NDArray canvas) {
        return canvas.get(new NDIndex(":, :, {}:{}, {}:{}", margin, margin + height, margin, margin + width));
    }

    /**
     * The stages a configuration asks for: a coarse one when coarse_fraction > 0, then the output
     * size. An output with a side above window_above (not under control, whose regions need the
     * whole frame) is refined in windows of window x window, and its coarse stage is kept small
     * enough to be seen whole: it lays out the picture the windows then refine.
     */
    public static List<Stage> of(ImagineConfig cfg, Windowing windowing) {
        int w = cfg.output().width();
        int h = cfg.output().height();
        int coarse = cfg.coarseIterations();
        int n = cfg.schedule().iterations();
        int divisor = cfg.schedule().coarseDivisor();
        int above = cfg.schedule().windowAbove();
        boolean windowed = windowing.applies(cfg);
        int window = windowed ? cfg.schedule().window() : 0;
        List<Stage> stages = new ArrayList<>();
        // Fewer coarse levels than asked when the smallest would fall below 16 px.
        int levels = coarse > 0 ? cfg.schedule().coarseLevels() : 0;
        while (levels > 1 && Math.min(w, h) / Math.pow(divisor, levels) < 16) {
            levels--;
        }
        int count = levels + 1;
        for (int k = 0; k < levels; k++) {
            // Level k of the coarse stages is divided by the divisor (levels - k) times.
            int d = (int) Math.round(Math.pow(divisor, levels - k));
            int cw = Math.max(16, w / d);
            int ch = Math.max(16, h / d);
            if (windowed) {
                double f = Math.min(1.0 / d, above / (double) Math.max(w, h) / (d / divisor));
                cw = Math.max(16, (int) Math.round(w * f));
                ch = Math.max(16, (int) Math.round(h * f));
            }
            double scale = (double) cw / w;
            int first = coarse * k / levels;
            int end = coarse * (k + 1) / levels;
            stages.add(new Stage(k, count, cw, ch, margin(cfg, cw, ch, scale), reach(cfg, false, scale), 0, first,
                    end));
        }
        int m = windowed ? margin(cfg, window, window, 1) : margin(cfg, w, h, 1);
        stages.add(new Stage(count - 1, count, w, h, m, reach(cfg, windowed, 1), window, coarse, n));
        return List.copyOf(stages);
    }

    /** The jitter at a stage's scale: pixel distances shrink with the stage. */
    public static int jitter(ImagineConfig cfg, double scale) {
        return (int) Math.round(cfg.schedule().jitter() * scale);
    }

    /** Views reach the jitter beyond the frame when they hold it (not in windows, which never hold the frame). */
    private static int reach(ImagineConfig cfg, boolean windowed, double scale) {
        return cfg.schedule().viewsHoldFrame() && !windowed ? jitter(cfg, scale) : 0;
    }

    private static int margin(ImagineConfig cfg, int w, int h, double scale) {
        int jitter = jitter(cfg, scale);
        if (cfg.schedule().viewsHoldFrame()) {
            // views of frame + jitter on each side, shifted by up to the jitter
            return jitter + margin(jitter, cfg.schedule().scaleJitter(), w + 2 * jitter, h + 2 * jitter);
        }
        return margin(jitter, cfg.schedule().scaleJitter(), w, h);
    }

    /**
     * The margin the canvas needs around a {@code width x height} frame so every view fits: the
     * largest shift plus what the largest zoom-out reveals.
     */
    public static int margin(int jitter, double scaleJitter, int width, int height) {
        double reveal = scaleJitter > 0 ? Math.max(width, height) * scaleJitter / (2 * (1 - scaleJitter)) : 0;
        return jitter + (int) Math.ceil(reveal);
    }

}
