package imagine.objective;

/**
 * Tells a usable image gradient from one to skip, by its mean magnitude: non-finite, or more than
 * {@link #SPIKE} times the typical magnitude of the stage's accepted steps so far. A safety net,
 * not a cure: the absurd gradients it used to reject about once per run (mean |g| 1e28 to 1e31
 * against a typical 0.02 to 0.1) were not libtorch's but ours, scalars whose memory a garbage
 * collection freed under autograd (see {@link imagine.model.Scalars}); since that fix no run has
 * had one. It stays for what may still come (a diverging learning rate, a bad term); the image
 * loop logs each rejection with its step, the discriminator counts its own. Real gradients change
 * by far less from one step to the next (within 2.2x of that average over a whole run, measured),
 * so the margin is wide.
 */
public final class GradientGuard {

    /** A gradient this many times the typical magnitude is taken for a fault, not a signal. */
    static final double SPIKE = 100;
    /** Weight of the newest accepted step in the typical magnitude (an exponential average). */
    private static final double NEW_WEIGHT = 0.1;

    /** Below this, the typical magnitude counts as this (a hinge loss that saturates has zero gradients). */
    private final double floor;
    private double typical = Double.NaN;

    /** A guard for the image's gradient, which never saturates. */
    public GradientGuard() {
        this(0);
    }

    /** A guard that judges against at least {@code floor}: a gradient can come back after a run of zeros. */
    public GradientGuard(double floor) {
        this.floor = floor;
    }

    /** The typical magnitude so far (NaN before the first accepted step). */
    public double typical() {
        return typical;
    }

    /** Whether a step whose gradient has this mean magnitude should be taken; remembers it if so. */
    public boolean accept(double meanMagnitude) {
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
