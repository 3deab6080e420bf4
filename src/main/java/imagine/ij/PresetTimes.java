package imagine.ij;

import ij.Prefs;
import imagine.config.ImagineConfig;
import imagine.core.Durations;
import imagine.core.TimeModel;
import imagine.model.ModelSpec;
import imagine.model.ModelStore;
import imagine.objective.Windowing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long each preset takes, as the dialog states it: the memory admission's time model (made on
 * a 2-core CPU), scaled by how this machine did against that model in the user's last completed
 * run (kept in ImageJ's preferences), so the numbers become this machine's after one run.
 */
final class PresetTimes {

    private static final String FACTOR = ImagineCommand.PREF + "speed_factor";

    private PresetTimes() {}

    static String note(int samples, int width, int height, String model) {
        double factor = Prefs.get(FACTOR, 0);
        List<String> parts = new ArrayList<>();
        try {
            for (ImagineConfig.Preset p : ImagineConfig.Preset.values()) {
                ImagineConfig cfg = ImagineConfig.preset(p).size(width, height).samples(samples).model(model).build();
                parts.add(p.name().toLowerCase(Locale.ROOT) + " about " + Durations.text(estimate(cfg) * (factor > 0 ? factor : 1)));
            }
        } catch (RuntimeException e) {
            return "Presets: fast for a first look, default, quality for the best samples (slowest).";
        }
        return String.format(Locale.ROOT, "Time for %d sample(s) of %dx%d px: %s (%s).", samples, width, height,
                String.join(", ", parts), factor > 0 ? "from your last run on this machine" : "estimated for a 2-core CPU; "
                        + "after one run, measured on this machine");
    }

    /** Remembers how this machine did against the time model (a completed run of {@code planes} planes). */
    static void measured(ImagineConfig cfg, int planes, double seconds) {
        double est = estimate(cfg) * planes;
        if (est > 0 && seconds > 0) {
            Prefs.set(FACTOR, Math.max(0.01, Math.min(100, seconds / est)));
        }
    }

    /** The time model's seconds for a whole run of {@code cfg}. */
    static double estimate(ImagineConfig cfg) {
        ModelSpec.Cost cost = ModelStore.spec(cfg.output().model()).cost();
        return TimeModel.secondsPerIteration(cfg, cost, Windowing.ALLOWED) * cfg.schedule().iterations();
    }
}
