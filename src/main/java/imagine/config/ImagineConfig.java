package imagine.config;

import imagine.UserInputException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every knob of one synthesis, immutable, in four groups. Each knob is declared exactly once: as
 * an {@link Knob}-annotated component of its group's record, with its default, limits and help.
 * Everything else is generated from that table: {@link Builder#set} (command line {@code --set},
 * macros), {@link #toMap()} (sidecars, image info), validation with messages that name the knob,
 * the help text and the settings table of docs/settings.md. Start from a {@link Preset} and change what you need
 * through {@link #toBuilder()}.
 */
public record ImagineConfig(Output output, Schedule schedule, Weights weights, Discriminator discriminator) {

    /** A knob: its default as text (parsed like a user's value), limits and one line of help. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Knob {
        String value();

        double min() default Double.NEGATIVE_INFINITY;

        double max() default Double.POSITIVE_INFINITY;

        String help();
    }

    /** A group of knobs; its prefix starts the names of its knobs. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface Group {
        String prefix() default "";
    }

    /** What is made: size, count, seeds, class and model. */
    @Group
    public record Output(
            @Knob(value = "224", min = 32, max = 2048, help = "output width in pixels") int width,
            @Knob(value = "224", min = 32, max = 2048, help = "output height in pixels") int height,
            @Knob(value = "1", min = 1, max = 64, help = "samples optimized together") int samples,
            @Knob(value = "0", min = -1e15, max = 1e15, help = "seed of the first sample; sample i uses seed + i") long seed,
            @Knob(value = "-1", min = -1, max = 1_000_000, help = "target class; -1 = the reference's top-1 class, or no "
                    + "class when none fits it (class_fit_share)")
            int targetClass,
            @Knob(value = "0.85", min = 0, max = 1, help = "with target_class -1: a reference whose five likeliest classes "
                    + "hold less than this share of the probability fits no ImageNet class (most micrographs and textures) "
                    + "and its samples take its look alone, class term off, as the sidecar and Fiji say "
                    + "(docs/decisions.md); 0 = always steer to its top-1 class") double classFitShare,
            @Knob(value = "false", help = "true = with no object or target given and a class steering: find the object "
                    + "in the reference (its class activation map) and keep it where the reference has it, the object's "
                    + "statistics there and the rest's elsewhere: fewer collages, less robust class "
                    + "(docs/decisions.md); false = the whole reference's statistics everywhere") boolean autoObject,
            @Knob(value = "mobilenet_v1_0.75_224", help = "model id (see the models list)") String model,
            @Knob(value = "", help = "feature-matching layers, comma-separated; empty = the model's defaults")
            List<String> taps) {}

    /** How the pixels are optimized over time. */
    @Group
    public record Schedule(
            @Knob(value = "800", min = 1, max = 100_000, help = "image updates in all") int iterations,
            @Knob(value = "0.05", min = 1e-6, max = 10, help = "Adam's learning rate on the pixels (in [0, 1])")
            double learningRate,
            @Knob(value = "50", min = 0, max = 100_000, help = "linear warm-up of the learning rate (halved in later stages)")
            int warmupIterations,
            @Knob(value = "0.02", min = 0, max = 1, help = "learning rate at the end of the cosine decay, relative")
            double finalLearningRateFraction,
            @Knob(value = "24", min = 0, max = 256, help = "random shift of each step's view, up to this many pixels at "
                    + "full size (views are boxes of a canvas larger than the output by this margin; nothing wraps around)")
            int jitter,
            @Knob(value = "0", min = 0, max = 0.5, help = "random rescaling of each step's view, up to this fraction")
            double scaleJitter,
            @Knob(value = "true", help = "random horizontal flips of each step's view") boolean flips,
            @Knob(value = "true", help = "each step's view is the whole output frame plus the jitter on every side, at full "
                    + "resolution, so every output pixel is in every view and no view edge falls inside the output "
                    + "(removes the box of other texture about the jitter inside the border; false: frame-sized views, "
                    + "about 20% faster per fine step)")
            boolean viewsHoldFrame,
            @Knob(value = "0.5", min = 0, max = 8, help = "extra views per step for the class term: random crops of 50-100% "
                    + "of the frame, blurred and colour-shifted (not under position/shape control); 0.5 = one every "
                    + "other step (each is a pass of its own, about a third of a fine step's time)") double robustViews,
            @Knob(value = "0.5", min = 0, max = 0.95, help = "share of the iterations spent at the coarse scale (0 = none)")
            double coarseFraction,
            @Knob(value = "2", min = 1, max = 8, help = "the coarse scale is the output size divided by this") int coarseDivisor,
            @Knob(value = "2", min = 1, max = 3, help = "coarse stages before the output size, each divided by coarse_divisor "
                    + "from the next (2: 56, 112, then 224 px); they share coarse_fraction's iterations equally")
            int coarseLevels,
            @Knob(value = "0.33", min = 0, max = 1, help = "share of the iterations after which the adversarial term acts")
            double adversarialStart,
            @Knob(value = "0.02", min = 0, max = 1, help = "a sample ending below this p(target) is run once more (0 = never)")
            double retryBelow,
            @Knob(value = "640", min = 64, max = 4096, help = "outputs with a side above this are refined in windows: memory "
                    + "and time per step stop growing with the output") int windowAbove,
            @Knob(value = "448", min = 64, max = 2048, help = "side of the window the classifier sees per step in that case")
            int window,
            @Knob(value = "0.5", min = 0, max = 1, help = "how much each sample starts from the reference's layout (the "
                    + "reference at random flip, shift, scale and turn, blurred by layout_blur) rather than from noise, "
                    + "where a class steers and no targets are given: more samples with one whole object "
                    + "(docs/decisions.md); 0 = noise alone") double layoutPrior,
            @Knob(value = "0.06", min = 0.005, max = 0.5, help = "blur of that layout, as a share of the frame's shorter "
                    + "side: only the large shapes are kept") double layoutBlur) {}

    /** The objective's weights. */
    @Group
    public record Weights(
            @Knob(value = "1", min = 0, max = 1e6, help = "cross-entropy to the target class") double classWeight,
            @Knob(value = "4", min = 1, max = 100, help = "the class term's temperature T: cross-entropy of the logits / T, "
                    + "times T, keeps raising the target's lead over its rivals after MobileNet is sure of it, which another "
                    + "network needs to agree (docs/decisions.md); 1 = plain cross-entropy") double classTemperature,
            @Knob(value = "0.15", min = 0, max = 1e6, help = "total variation, L2 form") double tvL2Weight,
            @Knob(value = "0", min = 0, max = 1e6, help = "total variation, L1 form") double tvL1Weight,
            @Knob(value = "1e-5", min = 0, max = 1e6, help = "L2 prior on the pixels") double l2Weight,
            @Knob(value = "10", min = 0, max = 1e6, help = "feature-statistics matching with the reference")
            double featureWeight,
            @Knob(value = "4,1,1,1", min = 0, max = 1e6, help = "relative weights of the feature layers, earliest first")
            List<Double> tapWeights,
            @Knob(value = "16", min = 0, max = 256, help = "feature statistics leave out this many pixels at every border of "
                    + "each view and of the reference, where the classifier's zero padding shapes the activations (matched "
                    + "there, they drew coloured grain into corners and flat blocks; docs/decisions.md); 0 = "
                    + "every location") int featureBorder,
            @Knob(value = "0", min = 0, max = 1e6, help = "each sample's large shapes (block means of an eighth of the "
                    + "frame) held to the layout it started from (layout_prior): one whole object rather than parts or a "
                    + "second animal (docs/decisions.md); 0 = off") double layoutWeight,
            @Knob(value = "1000", min = 0, max = 1e6, help = "the view's colours against the reference's, as distributions "
                    + "(sliced Wasserstein over RGB pixels, brightness counting a fifth of colour): fewer colours the reference "
                    + "lacks (docs/decisions.md); 0 turns it off") double paletteWeight,
            @Knob(value = "0", min = 0, max = 1e6, help = "patch-adversarial term (the on-the-fly discriminator); off by "
                    + "default: measured, it did not earn its 45% of the run time (docs/decisions.md); 0.1 turns "
                    + "it on") double adversarialWeight,
            @Knob(value = "1", min = 0, max = 1e6, help = "position/shape control: class evidence outside the targets")
            double backgroundWeight,
            @Knob(value = "1.5", min = 0, max = 1e6, help = "position/shape control without an object mask: smooth backdrop")
            double backgroundTvWeight) {}

    /** The on-the-fly patch discriminator. */
    @Group(prefix = "disc_")
    public record Discriminator(
            @Knob(value = "32", min = 1, max = 512, help = "channels per layer") int width,
            @Knob(value = "5", min = 2, max = 12, help = "3x3 layers (receptive field 2 x layers + 1 px)") int layers,
            @Knob(value = "5e-4", min = 1e-7, max = 1, help = "Adam's learning rate") double learningRate,
            @Knob(value = "0.5", min = 0, max = 0.999, help = "Adam's beta1") double beta1,
            @Knob(value = "2", min = 1, max = 1000, help = "one update every this many image steps") int every,
            @Knob(value = "64", min = 6, max = 4096, help = "side of the square crops it sees") int crop,
            @Knob(value = "4", min = 1, max = 64, help = "fake crops per update (shared out over the levels)") int crops,
            @Knob(value = "3", min = 1, max = 5, help = "levels of the image pyramid it sees (each halves the image; "
                    + "not under position/shape control)") int scales) {
        public Discriminator {
            if (crop < 2 * layers + 2) {
                throw new UserInputException("disc_crop must be at least 2 x disc_layers + 2 = " + (2 * layers + 2)
                        + ", got " + crop + ".");
            }
        }
    }

    /** Named starting points; the weights are the same, the iteration budget and schedule differ. */
    public enum Preset {
        FAST(Map.of("iterations", "300", "coarse_fraction", "0.6", "warmup_iterations", "30")),
        DEFAULT(Map.of()),
        QUALITY(Map.of("iterations", "2000", "warmup_iterations", "100"));

        private final Map<String, String> overrides;

        Preset(Map<String, String> overrides) {
            this.overrides = overrides;
        }

        public static Preset parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserInputException("Unknown preset '" + name + "'; use fast, default or quality.");
            }
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One row of the knob table, read from the annotations. */
    public record Setting(String name, String group, Class<?> type, Class<?> element, String defaultText, double min,
            double max, String help, RecordComponent component) {

        /** A value from text, of this knob's type (lists comma- or semicolon-separated). */
        Object parse(String text) {
            String v = text.trim();
            if (type == List.class) {
                List<Object> out = new ArrayList<>();
                if (!v.isEmpty()) {
                    for (String part : v.split("\\s*[,;]\\s*")) {
                        Object item = element == Double.class ? number(part) : part;
                        if (out.contains(item) && element != Double.class) {
                            throw new UserInputException(name + " lists '" + part + "' twice; name each once.");
                        }
                        out.add(item);
                    }
                }
                if (out.isEmpty() && element == Double.class) {
                    throw new UserInputException(name + " needs at least one number, e.g. " + defaultText + ".");
                }
                return Collections.unmodifiableList(out);
            }
            if (type == int.class) {
                double d = number(v);
                if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                    throw new UserInputException(name + " needs a whole number, got '" + text + "'.");
                }
                return (int) d;
            }
            if (type == long.class) {
                try {
                    return Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new UserInputException(name + " needs a whole number, got '" + text + "'.");
                }
            }
            if (type == double.class) {
                return number(v);
            }
            if (type == boolean.class) {
                return switch (v.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "1", "on" -> true;
                    case "false", "no", "0", "off" -> false;
                    default -> throw new UserInputException(name + " needs true or false, got '" + text + "'.");
                };
            }
            return v;
        }

        private double number(String v) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new UserInputException(name + " needs a number, got '" + v + "'.");
            }
        }

        /** Checks a value against the limits; the message names the knob and what is allowed. */
        void check(Object value) {
            List<?> values = value instanceof List<?> l ? l : List.of(value);
            for (Object o : values) {
                if (o instanceof Number n && (!Double.isFinite(n.doubleValue()) || n.doubleValue() < min
                        || n.doubleValue() > max)) {
                    throw new UserInputException(name + " must be between " + text(min) + " and " + text(max) + ", got "
                            + (n instanceof Long || n instanceof Integer ? n.toString() : text(n.doubleValue())) + ".");
                }
                if (o instanceof String s && type == String.class && s.isBlank()) {
                    throw new UserInputException(name + " must be set.");
                }
            }
        }

        /** The limits as a reader writes them, or "" when unbounded. */
        public String limits() {
            if (min == Double.NEGATIVE_INFINITY && max == Double.POSITIVE_INFINITY) {
                return "";
            }
            return text(min) + " to " + text(max);
        }

        public String typeName() {
            return type == List.class ? "list" : type == String.class ? "text" : type.getSimpleName();
        }
    }

    private static final List<Class<? extends Record>> GROUPS = List.of(Output.class, Schedule.class, Weights.class,
            Discriminator.class);
    private static final List<Setting> SETTINGS = table();

    /** The knob table in declaration order. */
    public static List<Setting> settings() {
        return SETTINGS;
    }

    /** The row of one knob. */
    public static Setting setting(String name) {
        for (Setting s : SETTINGS) {
            if (s.name().equals(name.trim())) {
                return s;
            }
        }
        throw new UserInputException("Unknown setting '" + name + "'. Known settings: "
                + String.join(", ", SETTINGS.stream().map(Setting::name).toList()) + ".");
    }

    private static List<Setting> table() {
        List<Setting> out = new ArrayList<>();
        for (Class<? extends Record> g : GROUPS) {
            String prefix = g.getAnnotation(Group.class).prefix();
            for (RecordComponent c : g.getRecordComponents()) {
                Knob k = c.getAnnotation(Knob.class);
                Class<?> element = c.getGenericType() instanceof ParameterizedType p
                        ? (Class<?>) p.getActualTypeArguments()[0] : null;
                out.add(new Setting(prefix + snake(c.getName()), g.getSimpleName().toLowerCase(Locale.ROOT), c.getType(),
                        element, k.value(), k.min(), k.max(), k.help(), c));
            }
        }
        return List.copyOf(out);
    }

    /** {@code tvL2Weight} -> {@code tv_l2_weight}. */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static String text(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        java.math.BigDecimal d = java.math.BigDecimal.valueOf(v).stripTrailingZeros();
        return (d.scale() > 4 ? d.toString() : d.toPlainString()).toLowerCase(Locale.ROOT);
    }

    public static ImagineConfig defaults() {
        return preset(Preset.DEFAULT).build();
    }

    public static Builder preset(Preset p) {
        Builder b = new Builder();
        p.overrides.forEach(b::set);
        return b;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.values.putAll(toMap());
        return b;
    }

    /** Iterations at the coarse scale. */
    public int coarseIterations() {
        return schedule.coarseFraction() <= 0 || schedule.coarseDivisor() <= 1 ? 0
                : (int) Math.round(schedule.iterations() * schedule.coarseFraction());
    }

    public int adversarialStartIteration() {
        return (int) Math.round(schedule.iterations() * schedule.adversarialStart());
    }

    /** Every knob by name, in table order, for sidecars and image info. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            m.put(s.name(), read(s));
        }
        return m;
    }

    private Object read(Setting s) {
        Record group = switch (s.component().getDeclaringRecord().getSimpleName()) {
            case "Output" -> output;
            case "Schedule" -> schedule;
            case "Weights" -> weights;
            default -> discriminator;
        };
        try {
            return s.component().getAccessor().invoke(group);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ImagineConfig" + toMap();
    }

    /** The knobs as plain-text help, one per line (command line and macro help). */
    public static String help() {
        StringBuilder sb = new StringBuilder();
        for (Setting s : SETTINGS) {
            sb.append(String.format(Locale.ROOT, "  %-30s %s (%s%s; default %s)%n", s.name(), s.help(), s.typeName(),
                    s.limits().isEmpty() ? "" : ", " + s.limits(), s.defaultText().isEmpty() ? "none" : s.defaultText()));
        }
        return sb.toString();
    }

    /** The knobs as docs/settings.md's Markdown table, with each preset's values where they differ. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| setting | group | default | fast | quality | range | what it does |\n"
                + "| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Setting s : SETTINGS) {
            sb.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s | %s | %s | %s |%n", s.name(), s.group(),
                    s.defaultText().isEmpty() ? "(none)" : s.defaultText(), Preset.FAST.overrides.getOrDefault(s.name(), ""),
                    Preset.QUALITY.overrides.getOrDefault(s.name(), ""), s.limits(), s.help()));
        }
        return sb.toString();
    }

    /** Mutable builder; every setter returns this. {@link #build()} validates. */
    public static final class Builder {

        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {
            for (Setting s : SETTINGS) {
                values.put(s.name(), s.parse(s.defaultText()));
            }
        }

        /** Sets one knob by its name from text (command line {@code --set}, macro options). */
        public Builder set(String name, String text) {
            Setting s = setting(name);
            values.put(s.name(), s.parse(text));
            return this;
        }

        /** Sets one knob by its name to a value of its type (a number, boolean, text or list). */
        public Builder set(String name, Object value) {
            Setting s = setting(name);
            values.put(s.name(), value instanceof String t ? s.parse(t) : coerce(s, value));
            return this;
        }

        private static Object coerce(Setting s, Object v) {
            if (v instanceof List<?> l) {
                return List.copyOf(l);
            }
            if (v instanceof Number n) {
                return s.type() == double.class ? (Object) n.doubleValue() : s.parse(String.valueOf(n));
            }
            return s.parse(String.valueOf(v));
        }

        public Builder size(int w, int h) {
            return set("width", w).set("height", h);
        }

        public Builder samples(int n) {
            return set("samples", n);
        }

        public Builder iterations(int n) {
            return set("iterations", n);
        }

        public Builder seed(long s) {
            return set("seed", String.valueOf(s));
        }

        public Builder targetClass(int c) {
            return set("target_class", c);
        }

        public Builder model(String id) {
            return set("model", id);
        }

        /** Validates every knob and says which one is wrong and what is allowed. */
        public ImagineConfig build() {
            for (Setting s : SETTINGS) {
                s.check(values.get(s.name()));
            }
            return new ImagineConfig(group(Output.class), group(Schedule.class), group(Weights.class),
                    group(Discriminator.class));
        }

        private <R extends Record> R group(Class<R> type) {
            RecordComponent[] cs = type.getRecordComponents();
            Object[] args = new Object[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            String prefix = type.getAnnotation(Group.class).prefix();
            for (int i = 0; i < cs.length; i++) {
                args[i] = values.get(prefix + snake(cs[i].getName()));
                types[i] = cs[i].getType();
            }
            try {
                return type.getDeclaredConstructor(types).newInstance(args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re; // a compact constructor's cross-knob check
                }
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("config group " + type.getSimpleName() + ": " + Arrays.toString(args), e);
            }
        }
    }
}
