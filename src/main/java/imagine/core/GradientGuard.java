package imagine.core;

/**
 * Tells a usable image gradient from one to skip, by its mean magnitude: non-finite, or more than
 * {@link #SPIKE} times the typical magnitude of the stage's accepted steps so far. libtorch's CPU
 * backward returns a finite gradient of absurd size about once per 800-step run (measured: mean |g|
 * 1.9e28 to 1.7e31 against a typical 0.02 to 0.1); taken, it froze most pixels with noise (Adam's
 * second moment stays huge for hundreds of steps). Real gradients change by far less from one step
 * to the next (within 2.2x of that average over a whole run, measured), so the margin is wide.
 */
final class GradientGuard {

    /** A gradient this many times the typical magnitude is taken for a fault, not a signal. */
    static final double SPIKE = 100;
    /** Weight of the newest accepted step in the typical magnitude (an exponential average). */
    private static final double NEW_WEIGHT = 0.1;

    /** Below this, the typical magnitude counts as this (a hinge loss that saturates has zero gradients). */
    private final double floor;
    private double typical = Double.NaN;

    /** A guard for the image's gradient, which never saturates. */
    GradientGuard() {
        this(0);
    }

    /** A guard that judges against at least {@code floor}: a gradient can come back after a run of zeros. */
    GradientGuard(double floor) {
        this.floor = floor;
    }

    /** Whether a step whose gradient has this mean magnitude should be taken; remembers it if so. */
    boolean accept(double meanMagnitude) {
        if (!Double.isFinite(meanMagnitude)) {
            return false;
        }
        if (!Double.isNaN(typical) && meanMagnitude > SPIKE * Math.max(typical, floor)) {
            return false;
        }
        typical = Double.isNaN(typical) ? meanMagnitude : (1 - NEW_WEIGHT) * typical + NEW_WEIGHT * meanMagnitude;
        return true;
    }
}
