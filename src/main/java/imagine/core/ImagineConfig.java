package imagine.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every weight and schedule knob of one synthesis, immutable. Start from a {@link Preset} and
 * change what you need through {@link #toBuilder()}; {@link Builder#build()} validates, so a bad
 * value is reported before any work starts.
 */
public final class ImagineConfig {

    /** Named starting points; the weights are the same, the iteration budget and schedule differ. */
    public enum Preset {
        FAST, DEFAULT, QUALITY;

        public static Preset parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Unknown preset '" + name + "'; use fast, default or quality.");
            }
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final int MAX_SIDE = 2048;
    public static final int MIN_SIDE = 32;
    public static final int MAX_SAMPLES = 64;
    public static final int MAX_ITERATIONS = 100_000;

    // Output and run
    public final int width;
    public final int height;
    public final int samples;
    public final int iterations;
    public final long seed;
    /** Target class; -1 means the reference's top-1 class. */
    public final int targetClass;
    public final String modelId;
    /** Feature taps; empty means the backbone's defaults. */
    public final List<String> taps;

    // Image optimizer
    public final double learningRate;
    public final int warmupIterations;
    public final double finalLearningRateFraction;
    public final int jitter;
    public final boolean flips;
    /** Fraction of the iterations spent at the coarse scale (0 disables coarse-to-fine). */
    public final double coarseFraction;
    public final int coarseDivisor;

    // Objective weights
    public final double classWeight;
    public final double tvL2Weight;
    public final double tvL1Weight;
    public final double l2Weight;
    /** Position/shape control only: keeps the class evidence out of the background. */
    public final double backgroundWeight;
    /** Position/shape control with the whole reference as object: smooths the background. */
    public final double backgroundTvWeight;
    /**
     * A sample whose final probability of the target class is below this lost its object (about
     * one multi-threaded controlled run in 30 ends in high-frequency noise): it is run once more
     * from new noise. 0 turns the retry off.
     */
    public final double retryBelow;
    public final double featureWeight;
    /** Relative weights of the taps, first = earliest; normalized to sum 1 at use. */
    public final List<Double> tapWeights;
    public final double adversarialWeight;
    /** Fraction of the iterations after which the adversarial term acts on the image. */
    public final double adversarialStart;

    // Discriminator
    public final int discWidth;
    public final int discLayers;
    public final double discLearningRate;
    public final double discBeta1;
    public final int discEvery;
    public final int discCrop;
    public final int discCrops;

    private ImagineConfig(Builder b) {
        width = b.width;
        height = b.height;
        samples = b.samples;
        iterations = b.iterations;
        seed = b.seed;
        targetClass = b.targetClass;
        modelId = b.modelId;
        taps = List.copyOf(b.taps);
        learningRate = b.learningRate;
        warmupIterations = b.warmupIterations;
        finalLearningRateFraction = b.finalLearningRateFraction;
        jitter = b.jitter;
        flips = b.flips;
        coarseFraction = b.coarseFraction;
        coarseDivisor = b.coarseDivisor;
        classWeight = b.classWeight;
        tvL2Weight = b.tvL2Weight;
        tvL1Weight = b.tvL1Weight;
        l2Weight = b.l2Weight;
        backgroundWeight = b.backgroundWeight;
        backgroundTvWeight = b.backgroundTvWeight;
        retryBelow = b.retryBelow;
        featureWeight = b.featureWeight;
        tapWeights = List.copyOf(b.tapWeights);
        adversarialWeight = b.adversarialWeight;
        adversarialStart = b.adversarialStart;
        discWidth = b.discWidth;
        discLayers = b.discLayers;
        discLearningRate = b.discLearningRate;
        discBeta1 = b.discBeta1;
        discEvery = b.discEvery;
        discCrop = b.discCrop;
        discCrops = b.discCrops;
    }

    public static ImagineConfig defaults() {
        return preset(Preset.DEFAULT).build();
    }

    public static Builder preset(Preset p) {
        Builder b = new Builder();
        switch (p) {
            case FAST -> {
                b.iterations = 300;
                b.coarseFraction = 0.6;
                b.warmupIterations = 30;
            }
            case DEFAULT -> {
                b.iterations = 800;
            }
            case QUALITY -> {
                b.iterations = 2000;
                b.coarseFraction = 0.5;
                b.discEvery = 1;
                b.discCrops = 6;
                b.warmupIterations = 100;
            }
        }
        return b;
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Iterations at the coarse scale. */
    public int coarseIterations() {
        return coarseFraction <= 0 || coarseDivisor <= 1 ? 0 : (int) Math.round(iterations * coarseFraction);
    }

    public int adversarialStartIteration() {
        return (int) Math.round(iterations * adversarialStart);
    }

    /** Every knob by name, for sidecars and image info. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", width);
        m.put("height", height);
        m.put("samples", samples);
        m.put("iterations", iterations);
        m.put("seed", seed);
        m.put("target_class", targetClass);
        m.put("model", modelId);
        m.put("taps", taps);
        m.put("learning_rate", learningRate);
        m.put("warmup_iterations", warmupIterations);
        m.put("final_learning_rate_fraction", finalLearningRateFraction);
        m.put("jitter", jitter);
        m.put("flips", flips);
        m.put("coarse_fraction", coarseFraction);
        m.put("coarse_divisor", coarseDivisor);
        m.put("class_weight", classWeight);
        m.put("tv_l2_weight", tvL2Weight);
        m.put("tv_l1_weight", tvL1Weight);
        m.put("l2_weight", l2Weight);
        m.put("background_weight", backgroundWeight);
        m.put("background_tv_weight", backgroundTvWeight);
        m.put("retry_below", retryBelow);
        m.put("feature_weight", featureWeight);
        m.put("tap_weights", tapWeights);
        m.put("adversarial_weight", adversarialWeight);
        m.put("adversarial_start", adversarialStart);
        m.put("disc_width", discWidth);
        m.put("disc_layers", discLayers);
        m.put("disc_learning_rate", discLearningRate);
        m.put("disc_beta1", discBeta1);
        m.put("disc_every", discEvery);
        m.put("disc_crop", discCrop);
        m.put("disc_crops", discCrops);
        return m;
    }

    @Override
    public String toString() {
        return "ImagineConfig" + toMap();
    }

    /** Mutable builder; every setter returns this. */
    public static final class Builder {
        private int width = 224;
        private int height = 224;
        private int samples = 1;
        private int iterations = 800;
        private long seed = 0;
        private int targetClass = -1;
        private String modelId = "mobilenet_v1_0.75_224";
        private List<String> taps = List.of();
        private double learningRate = 0.05;
        private int warmupIterations = 50;
        private double finalLearningRateFraction = 0.02;
        private int jitter = 24;
        private boolean flips = true;
        private double coarseFraction = 0.5;
        private int coarseDivisor = 2;
        private double classWeight = 1.0;
        private double tvL2Weight = 0.15;
        private double tvL1Weight = 0.0;
        private double l2Weight = 1e-5;
        private double backgroundWeight = 1;
        private double backgroundTvWeight = 1.5;
        private double retryBelow = 0.02;
        private double featureWeight = 10;
        private List<Double> tapWeights = List.of(4.0, 1.0, 1.0, 1.0);
        private double adversarialWeight = 0.1;
        private double adversarialStart = 0.33;
        private int discWidth = 32;
        private int discLayers = 5;
        private double discLearningRate = 5e-4;
        private double discBeta1 = 0.5;
        private int discEvery = 2;
        private int discCrop = 64;
        private int discCrops = 4;

        private Builder() {}

        private Builder(ImagineConfig c) {
            width = c.width;
            height = c.height;
            samples = c.samples;
            iterations = c.iterations;
            seed = c.seed;
            targetClass = c.targetClass;
            modelId = c.modelId;
            taps = c.taps;
            learningRate = c.learningRate;
            warmupIterations = c.warmupIterations;
            finalLearningRateFraction = c.finalLearningRateFraction;
            jitter = c.jitter;
            flips = c.flips;
            coarseFraction = c.coarseFraction;
            coarseDivisor = c.coarseDivisor;
            classWeight = c.classWeight;
            tvL2Weight = c.tvL2Weight;
            tvL1Weight = c.tvL1Weight;
            l2Weight = c.l2Weight;
            backgroundWeight = c.backgroundWeight;
            backgroundTvWeight = c.backgroundTvWeight;
            retryBelow = c.retryBelow;
            featureWeight = c.featureWeight;
            tapWeights = c.tapWeights;
            adversarialWeight = c.adversarialWeight;
            adversarialStart = c.adversarialStart;
            discWidth = c.discWidth;
            discLayers = c.discLayers;
            discLearningRate = c.discLearningRate;
            discBeta1 = c.discBeta1;
            discEvery = c.discEvery;
            discCrop = c.discCrop;
            discCrops = c.discCrops;
        }

        public Builder size(int w, int h) { width = w; height = h; return this; }
        public Builder samples(int n) { samples = n; return this; }
        public Builder iterations(int n) { iterations = n; return this; }
        public Builder seed(long s) { seed = s; return this; }
        public Builder targetClass(int c) { targetClass = c; return this; }
        public Builder model(String id) { modelId = id; return this; }
        public Builder taps(List<String> t) { taps = List.copyOf(t); return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder warmupIterations(int v) { warmupIterations = v; return this; }
        public Builder finalLearningRateFraction(double v) { finalLearningRateFraction = v; return this; }
        public Builder jitter(int v) { jitter = v; return this; }
        public Builder flips(boolean v) { flips = v; return this; }
        public Builder coarseToFine(double fraction, int divisor) { coarseFraction = fraction; coarseDivisor = divisor; return this; }
        public Builder classWeight(double v) { classWeight = v; return this; }
        public Builder tvL2Weight(double v) { tvL2Weight = v; return this; }
        public Builder tvL1Weight(double v) { tvL1Weight = v; return this; }
        public Builder l2Weight(double v) { l2Weight = v; return this; }
        public Builder backgroundWeight(double v) { backgroundWeight = v; return this; }
        public Builder backgroundTvWeight(double v) { backgroundTvWeight = v; return this; }
        public Builder retryBelow(double v) { retryBelow = v; return this; }
        public Builder featureWeight(double v) { featureWeight = v; return this; }
        public Builder tapWeights(List<Double> v) { tapWeights = List.copyOf(v); return this; }
        public Builder adversarialWeight(double v) { adversarialWeight = v; return this; }
        public Builder adversarialStart(double v) { adversarialStart = v; return this; }
        public Builder discWidth(int v) { discWidth = v; return this; }
        public Builder discLayers(int v) { discLayers = v; return this; }
        public Builder discLearningRate(double v) { discLearningRate = v; return this; }
        public Builder discBeta1(double v) { discBeta1 = v; return this; }
        public Builder discEvery(int v) { discEvery = v; return this; }
        public Builder discCrop(int v) { discCrop = v; return this; }
        public Builder discCrops(int v) { discCrops = v; return this; }

        /**
         * Sets one knob by its {@link ImagineConfig#toMap()} name, from text (command line
         * {@code --set}, macro options). Unknown names and unparsable values are errors.
         */
        public Builder set(String key, String value) {
            String v = value.trim();
            try {
                switch (key.trim()) {
                    case "width" -> width = Integer.parseInt(v);
                    case "height" -> height = Integer.parseInt(v);
                    case "samples" -> samples = Integer.parseInt(v);
                    case "iterations" -> iterations = Integer.parseInt(v);
                    case "seed" -> seed = Long.parseLong(v);
                    case "target_class" -> targetClass = Integer.parseInt(v);
                    case "model" -> modelId = v;
                    case "taps" -> taps = v.isEmpty() ? List.of() : List.of(v.split("\\s*[,;]\\s*"));
                    case "learning_rate" -> learningRate = Double.parseDouble(v);
                    case "warmup_iterations" -> warmupIterations = Integer.parseInt(v);
                    case "final_learning_rate_fraction" -> finalLearningRateFraction = Double.parseDouble(v);
                    case "jitter" -> jitter = Integer.parseInt(v);
                    case "flips" -> flips = parseBoolean(v);
                    case "coarse_fraction" -> coarseFraction = Double.parseDouble(v);
                    case "coarse_divisor" -> coarseDivisor = Integer.parseInt(v);
                    case "class_weight" -> classWeight = Double.parseDouble(v);
                    case "tv_l2_weight" -> tvL2Weight = Double.parseDouble(v);
                    case "tv_l1_weight" -> tvL1Weight = Double.parseDouble(v);
                    case "l2_weight" -> l2Weight = Double.parseDouble(v);
                    case "background_weight" -> backgroundWeight = Double.parseDouble(v);
                    case "background_tv_weight" -> backgroundTvWeight = Double.parseDouble(v);
                    case "retry_below" -> retryBelow = Double.parseDouble(v);
                    case "feature_weight" -> featureWeight = Double.parseDouble(v);
                    case "tap_weights" -> {
                        List<Double> w = new java.util.ArrayList<>();
                        for (String part : v.split("\\s*[,;]\\s*")) {
                            w.add(Double.parseDouble(part));
                        }
                        tapWeights = List.copyOf(w);
                    }
                    case "adversarial_weight" -> adversarialWeight = Double.parseDouble(v);
                    case "adversarial_start" -> adversarialStart = Double.parseDouble(v);
                    case "disc_width" -> discWidth = Integer.parseInt(v);
                    case "disc_layers" -> discLayers = Integer.parseInt(v);
                    case "disc_learning_rate" -> discLearningRate = Double.parseDouble(v);
                    case "disc_beta1" -> discBeta1 = Double.parseDouble(v);
                    case "disc_every" -> discEvery = Integer.parseInt(v);
                    case "disc_crop" -> discCrop = Integer.parseInt(v);
                    case "disc_crops" -> discCrops = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("Unknown setting '" + key + "'. Known settings: "
                            + String.join(", ", new Builder().build().toMap().keySet()) + ".");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Setting " + key + " needs a number, got '" + value + "'.");
            }
            return this;
        }

        private static boolean parseBoolean(String v) {
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "1", "on" -> true;
                case "false", "no", "0", "off" -> false;
                default -> throw new IllegalArgumentException("expected true or false, got '" + v + "'");
            };
        }

        /** Validates every field and says which one is wrong and what is allowed. */
        public ImagineConfig build() {
            range("width", width, MIN_SIDE, MAX_SIDE);
            range("height", height, MIN_SIDE, MAX_SIDE);
            range("samples", samples, 1, MAX_SAMPLES);
            range("iterations", iterations, 1, MAX_ITERATIONS);
            if (targetClass < -1) {
                throw new IllegalArgumentException("class must be a class index (0 or more), or -1 for the reference's class.");
            }
            if (modelId == null || modelId.isBlank()) {
                throw new IllegalArgumentException("model must be set.");
            }
            finite("learning rate", learningRate, 1e-6, 10);
            range("warm-up iterations", warmupIterations, 0, MAX_ITERATIONS);
            finite("final learning-rate fraction", finalLearningRateFraction, 0, 1);
            range("jitter", jitter, 0, 256);
            finite("coarse fraction", coarseFraction, 0, 0.95);
            range("coarse divisor", coarseDivisor, 1, 8);
            finite("class weight", classWeight, 0, 1e6);
            finite("TV-L2 weight", tvL2Weight, 0, 1e6);
            finite("TV-L1 weight", tvL1Weight, 0, 1e6);
            finite("L2 weight", l2Weight, 0, 1e6);
            finite("background weight", backgroundWeight, 0, 1e6);
            finite("background TV weight", backgroundTvWeight, 0, 1e6);
            finite("retry threshold", retryBelow, 0, 1);
            finite("feature weight", featureWeight, 0, 1e6);
            for (double t : tapWeights) {
                finite("tap weight", t, 0, 1e6);
            }
            finite("adversarial weight", adversarialWeight, 0, 1e6);
            finite("adversarial start", adversarialStart, 0, 1);
            range("discriminator width", discWidth, 1, 512);
            range("discriminator layers", discLayers, 2, 12);
            finite("discriminator learning rate", discLearningRate, 1e-7, 1);
            finite("discriminator beta1", discBeta1, 0, 0.999);
            range("discriminator update interval", discEvery, 1, 1000);
            range("discriminator crop", discCrop, 2 * discLayers + 2, 4096);
            range("discriminator crops", discCrops, 1, 64);
            return new ImagineConfig(this);
        }

        private static void range(String name, long v, long lo, long hi) {
            if (v < lo || v > hi) {
                throw new IllegalArgumentException(name + " must be between " + lo + " and " + hi + ", got " + v + ".");
            }
        }

        private static void finite(String name, double v, double lo, double hi) {
            if (!Double.isFinite(v) || v < lo || v > hi) {
                throw new IllegalArgumentException(name + " must be a number between " + lo + " and " + hi + ", got " + v + ".");
            }
        }
    }
}
