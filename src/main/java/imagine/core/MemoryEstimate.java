package imagine.core;

import imagine.config.ImagineConfig;
import imagine.model.ModelSpec;
import imagine.objective.Stage;
import imagine.objective.Windowing;
import java.util.List;

/**
 * What a run will need in memory beyond the loaded model, from the output size, the samples and
 * the model's measured cost per pixel the classifier takes in ({@link ModelSpec.Cost}).
 *
 * @param workBytes the process's (or the GPU's) memory for the run
 * @param heapBytes the JVM heap the results need
 */
public record MemoryEstimate(long workBytes, long heapBytes) {

    /** What the on-the-fly discriminator adds per view pixel and sample (measured, MobileNet 0.75 runs). */
    public static final double ADVERSARIAL_BYTES_PER_PIXEL = 600;

    /**
     * The extra memory a run needs beyond the loaded model: the classifier's activations for the
     * views of every sample (forward and backward), the reference's features, the canvas with its
     * optimizer state, the discriminator; and the heap for the results. An output refined in windows
     * ({@link Windowing}) costs a window's activations, not the output's.
     */
    public static MemoryEstimate of(ImagineConfig cfg, ModelSpec.Cost cost, Windowing windowing) {
        long w = cfg.output().width();
        long h = cfg.output().height();
        long n = cfg.output().samples();
        List<Stage> stages = Stage.of(cfg, windowing);
        long viewPixels = largestViewPixels(stages);
        long seenPixels = largestSeenPixels(stages, cfg.schedule().robustViews());
        long j = (cfg.schedule().viewsHoldFrame() ? 2L : 1L) * cfg.schedule().jitter(); // the canvas's margin
        long canvasPixels = (w + 2 * j + w / 8) * (h + 2 * j + h / 8);
        double work = viewPixels * cost.referenceBytesPerPixel() + seenPixels * n * cost.bytesPerPixelPerSample()
                + canvasPixels * n * 3 * 4 * 6.0 // pixels, gradient, Adam's two moments, clipped copy, view
                + (64L << 20); // small buffers
        if (cfg.weights().adversarialWeight() > 0) {
            // The discriminator's crops, pyramid and its own backward pass: measured 60-400 MiB more at 512-1024 px.
            work += viewPixels * n * ADVERSARIAL_BYTES_PER_PIXEL;
        }
        long heap = w * h * n * 3 * 4 * 4; // result floats, host copies, images for PNG or ImageJ
        return new MemoryEstimate((long) work, heap);
    }

    /**
     * The most pixels the classifier sees per sample and step in any stage: the output's own stage,
     * or, when that stage is refined in windows, its coarse stage if larger than a window (a 1024 px
     * output's coarse stage is seen whole at 512 px).
     */
    static long largestViewPixels(List<Stage> stages) {
        return stages.stream().mapToLong(s -> (long) s.viewWidth() * s.viewHeight()).max().orElse(0);
    }

    /**
     * The most pixels the classifier takes in per sample and step in any stage: the view and the
     * class term's robust views (frame-sized, or of the smallest crop's side when views hold the frame).
     */
    static long largestSeenPixels(List<Stage> stages, double robust) {
        return stages.stream().mapToLong(s -> {
            long view = (long) s.viewWidth() * s.viewHeight();
            long robustPixels = (long) Augmentation.robustSide(s, s.width()) * Augmentation.robustSide(s, s.height());
            return view + Augmentation.mostRobustViews(s, robust) * robustPixels;
        }).max().orElse(0);
    }
}
