package imagine.core;

/**
 * Tells a usable image gradient from one to skip, by its mean magnitude: non-finite, or more than
 * {@link #SPIKE} times the typical magnitude of the stage's accepted steps so far. libtorch's CPU
 * backward now and then returns a finite gradient of absurd size (measured: mean |g| 8.5e29 at one
 * step of a run whose other steps had 5e-3 to 5e-2); taken, it froze most pixels with noise (Adam's
 * second moment stays huge for hundreds of steps). Real gradients change by far less from one step
 * to the next (within 2.2x of that average over a whole run, measured), so the margin is wide.
 */
final class GradientGuard {

    /** A gradient this many times the typical magnitude is taken for a fault, not a signal. */
    static final double SPIKE = 100;
    /** Weight of the newest accepted step in the typical magnitude (an exponential average). */
    private static final double NEW_WEIGHT = 0.1;

    private double typical = Double.NaN;

    /** Whether a step whose gradient has this mean magnitude should be taken; remembers it if so. */
    boolean accept(double meanMagnitude) {
        if (!Double.isFinite(meanMagnitude)) {
            return false;
        }
        if (!Double.isNaN(typical) && meanMagnitude > SPIKE * typical) {
            return false;
        }
        typical = Double.isNaN(typical) ? meanMagnitude : (1 - NEW_WEIGHT) * typical + NEW_WEIGHT * meanMagnitude;
        return true;
    }
}
