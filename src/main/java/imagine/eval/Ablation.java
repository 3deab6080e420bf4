package imagine.eval;

import imagine.UserInputException;
import imagine.config.ImagineConfig;

/**
 * The method and the variants the quality report compares it with: each drops a part of the
 * objective, everything else equal.
 */
public enum Ablation {
    FULL("full", "the full method"),
    NO_ADVERSARIAL("no_adversarial", "without the patch adversarial term"),
    /** The adversarial term is off by default; this variant turns it on at its tuned weight. */
    WITH_ADVERSARIAL("with_adversarial", "with the patch adversarial term (adversarial_weight 0.1)"),
    NO_FEATURES("no_features", "without feature-statistics matching"),
    NO_PALETTE("no_palette", "without the palette term (the reference's colour distribution)"),
    CLASS_ONLY("class_only", "class loss and image priors only (DeepInversion-style, no BN statistics, no reference colours)");

    private final String key;
    private final String description;

    Ablation(String key, String description) {
        this.key = key;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    public ImagineConfig apply(ImagineConfig cfg) {
        ImagineConfig.Builder b = cfg.toBuilder();
        switch (this) {
            case NO_ADVERSARIAL -> b.set("adversarial_weight", 0);
            case WITH_ADVERSARIAL -> b.set("adversarial_weight", cfg.weights().adversarialWeight() > 0
                    ? cfg.weights().adversarialWeight() : 0.1);
            case NO_FEATURES -> b.set("feature_weight", 0);
            case NO_PALETTE -> b.set("palette_weight", 0);
            case CLASS_ONLY -> b.set("adversarial_weight", 0).set("feature_weight", 0).set("palette_weight", 0);
            default -> { }
        }
        return b.build();
    }

    public static Ablation parse(String s) {
        for (Ablation a : values()) {
            if (a.key.equals(s)) {
                return a;
            }
        }
        throw new UserInputException("Unknown method '" + s + "': use full, no_adversarial, with_adversarial, no_features, no_palette "
                + "or class_only.");
    }
}
