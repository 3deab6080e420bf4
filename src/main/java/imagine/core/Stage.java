package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
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
 */
public record Stage(int index, int count, int width, int height, int margin, int first, int end) {

    /** For progress lines: "coarse 112x112", "fine 224x224", or the size alone for a one-stage run. */
    public String name() {
        String size = width + "x" + height;
        return count > 1 ? (index == 0 ? "coarse " : "fine ") + size : size;
    }

    public int iterations() {
        return end - first;
    }

    /** This stage's size relative to the output (jitter and other pixel distances scale with it). */
    public double scale(int outputWidth) {
        return (double) width / outputWidth;
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

    /** The stages a configuration asks for: a coarse one when coarse_fraction > 0, then the output size. */
    public static List<Stage> of(ImagineConfig cfg) {
        int w = cfg.output().width();
        int h = cfg.output().height();
        int coarse = cfg.coarseIterations();
        int n = cfg.schedule().iterations();
        int divisor = cfg.schedule().coarseDivisor();
        List<Stage> stages = new ArrayList<>();
        int count = coarse > 0 ? 2 : 1;
        if (coarse > 0) {
            int cw = Math.max(16, w / divisor);
            int ch = Math.max(16, h / divisor);
            stages.add(new Stage(0, count, cw, ch, margin(cfg, cw, ch, (double) cw / w), 0, coarse));
        }
        stages.add(new Stage(count - 1, count, w, h, margin(cfg, w, h, 1), coarse, n));
        return List.copyOf(stages);
    }

    private static int margin(ImagineConfig cfg, int w, int h, double scale) {
        return Augmentation.margin((int) Math.round(cfg.schedule().jitter() * scale), cfg.schedule().scaleJitter(), w, h);
    }
}
