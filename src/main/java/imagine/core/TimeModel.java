package imagine.core;

import imagine.config.ImagineConfig;
import imagine.model.ModelSpec;
import imagine.objective.Stage;
import imagine.objective.Windowing;
import java.util.List;

/** How long a run's iterations take, from the model's measured cost (the dialog's and the memory check's times). */
public final class TimeModel {

    private TimeModel() {}

    /**
     * Seconds per full-size iteration on a 2-core CPU like the one the costs were measured on: the
     * discriminator and bookkeeping (about 45 ms), plus the classifier's passes, which grow faster
     * than the pixel count once the activations leave the caches (measured: 0.75 us per pixel and
     * sample at 512 px, 2.3 at 1024, 3.3 at 2048 for MobileNet 0.75).
     */
    public static double secondsPerIteration(ImagineConfig cfg, ModelSpec.Cost cost, Windowing windowing) {
        double p = (double) viewPixels(cfg, windowing) * cfg.output().samples();
        return (45 + cost.cpuMillisPerMegapixel() * p / 1e6 * Math.max(1, Math.sqrt(p / (512.0 * 512)))) / 1000;
    }

    /**
     * Pixels the classifier sees per sample and step: the output (with the jitter around it when the
     * views hold the frame), or a window of it (see {@link imagine.objective.Stage#of}).
     */
    static long viewPixels(ImagineConfig cfg, Windowing windowing) {
        List<Stage> stages = Stage.of(cfg, windowing);
        Stage last = stages.get(stages.size() - 1); // the output's own stage, the largest view
        return (long) last.viewWidth() * last.viewHeight();
    }
}
