package imagine.core;

/**
 * The optimization produced unusable gradients (non-finite, or absurdly large: see
 * {@code GradientGuard}) for too many steps in a row (as DJL's
 * {@code TrainingDivergedException}). Not the user's input, but the message says which setting
 * to lower.
 */
public final class SynthesisDivergedException extends RuntimeException {

    public SynthesisDivergedException(String message) {
        super(message);
    }
}
