package imagine.objective;

import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.controls.Placement;

/**
 * Whether a run may refine a large output in windows: not under position/shape control, whose
 * regions need the whole frame. Holds the one rule the stages, the memory estimate and the final
 * judging share; a run decides it once.
 */
public enum Windowing {
    /** Outputs with a side above window_above are refined in windows. */
    ALLOWED,
    /** Every stage sees the whole frame (position/shape control). */
    NEVER;

    public static Windowing of(Placement placement) {
        return placement.controlled() ? NEVER : ALLOWED;
    }

    /** Before the controls are resolved: target boxes or masks mean control. */
    public static Windowing of(Controls controls) {
        return controls.targets().isEmpty() ? ALLOWED : NEVER;
    }

    /** Whether the fine stage of {@code cfg} is refined in windows. */
    public boolean applies(ImagineConfig cfg) {
        return this == ALLOWED && Math.max(cfg.output().width(), cfg.output().height()) > cfg.schedule().windowAbove();
    }
}
