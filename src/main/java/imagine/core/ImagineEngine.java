package imagine.core;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import imagine.UserInputException;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.controls.ObjectFinder;
import imagine.controls.Placement;
import imagine.image.ChannelColors;
import imagine.image.ImageKind;
import imagine.image.Mask;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.ClassProbabilities;
import imagine.model.CoreShare;
import imagine.model.Engines;
import imagine.model.GradMode;
import imagine.model.ModelSpec;
import imagine.objective.Objective;
import imagine.objective.Stage;
import imagine.objective.Windowing;
import imagine.objective.terms.Terms;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * IMAGINE: optimizes the pixels of several samples at once, from noise, against a frozen
 * classifier, with the objective CE + TV + L2 + feature-statistics matching + patch-adversarial
 * term, coarse to fine. This class builds the objective, runs a {@link Synthesis} and packs the
 * result; samples that ended lost are run once more.
 *
 * <p>One synthesis runs at a time in a process: DJL's gradient collector is process-wide, so a
 * second call waits for the first (a cancelled waiter gives up). Thread-safe otherwise.
 */
public final class ImagineEngine {

    /** DJL allows one gradient collector per process; this lock is the engine's own rule for it. */
    private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock(true);

    /** Added to a lost sample's seed for its second try; the result's seeds say which one a sample came from. */
    static final long RETRY_SEED_OFFSET = 1_000_003;
    static final int RETRY_MIN_ITERATIONS = 200;

    private final Backbone backbone;
    private final int threads;
    private final List<SynthesisListener> listeners;
    private final Function<Device, MemoryBudget> memory;

    public ImagineEngine(Backbone backbone) {
        this(backbone, 0, List.of(), MemoryBudget::of);
    }

    private ImagineEngine(Backbone backbone, int threads, List<SynthesisListener> listeners,
            Function<Device, MemoryBudget> memory) {
        this.backbone = backbone;
        this.threads = threads;
        this.listeners = List.copyOf(listeners);
        this.memory = memory;
    }

    public static Builder builder(Backbone backbone) {
        return new Builder(backbone);
    }

    /** Options of an engine, as DJL's builders take them. */
    public static final class Builder {
        private final Backbone backbone;
        private int threads;
        private final List<SynthesisListener> listeners = new ArrayList<>();
        private Function<Device, MemoryBudget> memory = MemoryBudget::of;

        private Builder(Backbone backbone) {
            this.backbone = backbone;
        }

        /**
         * CPU threads for this engine's work, set on the calling thread for the length of each call
         * and restored after (0 = leave as they are). One makes runs byte-identical on the same
         * machine (docs/command-line.md, seeds).
         */
        public Builder optThreads(int n) {
            Engines.checkThreads(n);
            threads = n;
            return this;
        }

        /** A listener that sees every step of every run (for example a tracer or a benchmark). */
        public Builder addListener(SynthesisListener l) {
            listeners.add(l);
            return this;
        }

        /** Where the memory check reads what is free (default: this machine or the GPU now). */
        public Builder optMemoryBudget(Function<Device, MemoryBudget> budget) {
            memory = budget;
            return this;
        }

        public ImagineEngine build() {
            return new ImagineEngine(backbone, threads, listeners, memory);
        }
    }

    public Backbone backbone() {
        return backbone;
    }

    /**
     * Top-k classes of a reference: its centre square (the whole short side) at the backbone's native
     * size, averaged with its mirror image. The whole image squashed to a square misread wide photos,
     * and the usual evaluation crop of 87.5% of the short side cut objects that fill their frame
     * (docs/decisions.md, "Reading the reference").
     */
    public List<Prediction> classify(RgbImage image, int k) {
        return top(k, m -> {
            NDArray square = ClassTargeting.centreSquare(image).resize(backbone.nativeSize(), backbone.nativeSize()).toArray(m);
            return backbone.probabilities(NDArrays.concat(new NDList(square, square.flip(3)), 0)).rowMean();
        });
    }

    /**
     * Top-k classes of a sample: the whole image resized to the backbone's native size, one view. At
     * that size (the default 224 px) this is how the engine judges its own samples (the sidecar's
     * predicted classes), so {@code score} agrees with them; other sizes the engine judges as made.
     */
    public List<Prediction> classifySample(RgbImage sample, int k) {
        int s = backbone.nativeSize();
        return top(k, m -> backbone.probabilities(sample.resize(s, s).toArray(m)));
    }

    private List<Prediction> top(int k, Function<NDManager, ClassProbabilities> read) {
        try (GradMode g = GradMode.off(); Engines.ThreadScope t = Engines.withThreads(threads);
                NDManager m = Engines.pytorch().newBaseManager(backbone.device())) {
            ClassProbabilities p = read.apply(m);
            List<Prediction> out = new ArrayList<>();
            for (int c : p.top(0, k)) {
                out.add(new Prediction(c, p.get(0, c), label(c)));
            }
            return out;
        }
    }

    public String label(int index) {
        List<String> labels = backbone.labels();
        return index >= 0 && index < labels.size() ? labels.get(index) : "class " + index;
    }

    /** Runs a synthesis; never modifies {@code reference}. */
    public SynthesisResult synthesize(RgbImage reference, ImagineConfig cfg, ProgressListener listener,
            CancellationToken cancel) {
        return synthesize(reference, Controls.none(), cfg, listener, cancel);
    }

    /**
     * Runs a synthesis under position/shape controls; never modifies {@code reference}. A gray
     * reference (R = G = B everywhere) gives gray samples, any other RGB ones.
     */
    public SynthesisResult synthesize(RgbImage reference, Controls controls, ImagineConfig cfg, ProgressListener listener,
            CancellationToken cancel) {
        return synthesize(reference, ChannelColors.forReference(reference), controls, cfg, listener, cancel);
    }

    /**
     * Runs a synthesis whose samples have the channels of {@code colors} (a composite's channels
     * with their colours); {@code reference} is the reference as those colours show it.
     */
    public SynthesisResult synthesize(RgbImage reference, ChannelColors colors, Controls controls, ImagineConfig config,
            ProgressListener listener, CancellationToken cancel) {
        // The run's record names the model it ran on, whatever a setting said.
        ImagineConfig cfg = config.output().model().equals(backbone.id()) ? config
                : config.toBuilder().model(backbone.id()).build();
        // Checked before any work (and before waiting for another run): bad input fails in milliseconds.
        int classes = backbone.labels().size();
        if (cfg.output().targetClass() >= classes) {
            throw new UserInputException("class " + cfg.output().targetClass() + " does not exist: model " + backbone.id()
                    + " has classes 0 to " + (classes - 1) + ".");
        }
        Placement placement = controls.resolve(reference.width(), reference.height(), cfg.output().width(),
                cfg.output().height());
        Windowing windowing = Windowing.of(placement);
        check(cfg, windowing);
        long[] seeds = new long[cfg.output().samples()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = cfg.output().seed() + i;
        }
        acquire(cancel);
        try (GradMode g = GradMode.off(); Engines.ThreadScope t = Engines.withThreads(threads);
                CoreShare share = threads == 0 ? CoreShare.join(Engines.threads()) : CoreShare.none()) {
            ClassTargeting.Decision aim = ClassTargeting.decide(cfg, this::classify, reference, placement);
            int target = aim.target();
            ClassFit fit = aim.fit();
            cfg = aim.cfg();
            Mask found = null;
            if (findsObject(cfg, controls)) {
                found = ObjectFinder.find(backbone, reference, target).orElse(null);
                if (found != null) {
                    placement = controls.withObjectMask(found).resolve(reference.width(), reference.height(),
                            cfg.output().width(), cfg.output().height());
                    windowing = Windowing.of(placement);
                }
            }
            Run run = new Run(reference, colors, placement, Stage.of(cfg, windowing), target, fit, found, cancel, share);
            SynthesisResult first = run(run, cfg, seeds, new ProgressReporter(listener, ""));
            return retryLost(run, cfg, first, listener);
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }

    /**
     * What the tries of one call share: the reference, its controls, the stages and the target class
     * (decided once; {@code fit} is null unless the class term was to pull towards the reference's
     * own class with the feature term on, the look the samples then take alone) and the cancel flag.
     */
    private record Run(RgbImage reference, ChannelColors colors, Placement placement, List<Stage> stages, int target,
            ClassFit fit, Mask foundObject, CancellationToken cancel, CoreShare share) {

        /**
         * Whether the class term reads each target region (the user's controls). A found object
         * only splits the feature statistics: the whole view's class term, with its robust views,
         * stays (with the region terms and no robust views, robust agreement fell from 0.83 to 0.69).
         */
        boolean regionClass() {
            return placement.controlled() && foundObject == null;
        }
    }

    /**
     * Whether the run looks for the object itself (auto_object, off by default): only where the user
     * gave no controls, a class term steers (that class's activation map marks the object) and the
     * feature term is on, and not for an output refined in windows, which object regions cannot be.
     */
    private static boolean findsObject(ImagineConfig cfg, Controls controls) {
        return cfg.output().autoObject() && controls.isEmpty() && cfg.weights().classWeight() != 0
                && cfg.weights().featureWeight() != 0 && !Windowing.ALLOWED.applies(cfg);
    }

    /**
     * Refuses, before anything is allocated, a run this model cannot do (feature layers it lacks,
     * tap weights that do not match the layers) or that cannot fit in the memory left (the model is
     * already loaded), saying what would; {@link #synthesize} calls it first.
     */
    public void check(ImagineConfig cfg, Windowing windowing) {
        taps(cfg);
        ImagineConfig.Weights w = cfg.weights();
        // The same table objective() composes: under position/shape control the region terms count too.
        if (!Terms.anyWeighed(cfg, windowing == Windowing.NEVER)) {
            throw new UserInputException("Every loss weight is 0, so there is nothing to optimize: keep at least one on "
                    + "(feature_weight, for example).");
        }
        if (w.adversarialWeight() > 0) {
            // The discriminator's valid 3x3 convolutions need crops of 2 x layers + 2 px in every stage it acts in,
            // of the reference (at the frame's size) as of the view (which may hold more than the frame).
            int need = 2 * cfg.discriminator().layers() + 2;
            int smallest = imagine.objective.Stage.of(cfg, windowing).stream()
                    .mapToInt(s -> Math.min(Math.min(s.viewWidth(), s.width()), Math.min(s.viewHeight(), s.height())))
                    .min().orElse(need);
            if (smallest < need) {
                throw new UserInputException("The patch discriminator's " + cfg.discriminator().layers() + " layers need "
                        + "images of at least " + need + " px, but this run's smallest stage is " + smallest + " px: lower "
                        + "disc_layers, make the output larger, or set coarse_fraction=0.");
            }
        }
        MemoryAdmission.check(cfg, ModelSpec.costOf(backbone.id()), memory.apply(backbone.device()), windowing);
    }

    /** The feature layers of {@code cfg}, checked against the model and the tap weights. */
    private List<String> taps(ImagineConfig cfg) {
        List<String> taps = cfg.output().taps().isEmpty() ? backbone.defaultTaps() : cfg.output().taps();
        for (String t : taps) {
            backbone.tapStride(t); // fails early with the list of known taps
        }
        // Weights given for other layers than the model's four defaults must match them; the default weights
        // with other layers are used as far as they go (the rest weigh 1), as before.
        boolean defaultWeights = cfg.weights().tapWeights().equals(ImagineConfig.preset(ImagineConfig.Preset.DEFAULT)
                .build().weights().tapWeights());
        if (!defaultWeights && cfg.weights().tapWeights().size() != taps.size()) {
            throw new UserInputException("tap_weights has " + cfg.weights().tapWeights().size() + " weight(s) for "
                    + taps.size() + " feature layers (" + String.join(", ", taps) + "): give one weight per layer.");
        }
        return taps;
    }

    /** Waits for another run in this process to end; gives up when {@code cancel} is set meanwhile. */
    private static void acquire(CancellationToken cancel) {
        try {
            while (!ONE_AT_A_TIME.tryLock(100, TimeUnit.MILLISECONDS)) {
                if (cancel.isCancelled()) {
                    throw new CancellationException("cancelled while waiting for another synthesis to finish");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for another synthesis to finish");
        }
    }

    private SynthesisResult run(Run run, ImagineConfig cfg, long[] seeds, ProgressReporter progress) {
        long t0 = System.nanoTime();
        int target = run.target();
        TimingListener timing = new TimingListener();
        progress.start(t0);
        List<SynthesisListener> all = new ArrayList<>(List.of(timing, new DivergenceGuard(cfg), progress));
        if (run.share().active()) {
            all.add(new CoreShareListener(run.share())); // all cores asked for: take this machine's share
        }
        all.addAll(listeners);
        try (NDManager m = Engines.pytorch().newBaseManager(backbone.device());
                Objective objective = objective(cfg, run.regionClass(), target, m)) {
            Synthesis s = new Synthesis(backbone, cfg, run.placement(), run.regionClass(), run.stages(), run.reference(),
                    run.colors(), seeds, run.cancel(), all);
            NDArray channels = s.run(m, objective);
            NDArray x = s.shownAlone(channels);
            ClassProbabilities p = SampleJudge.judge(backbone, x, run.stages().get(run.stages().size() - 1));
            int[] predicted = new int[seeds.length];
            double[] targetProb = new double[seeds.length];
            for (int i = 0; i < seeds.length; i++) {
                predicted[i] = p.top(i);
                targetProb[i] = p.get(i, target);
            }
            Timings timings = timing.timings(System.nanoTime() - t0, objective.skippedUpdates());
            return new SynthesisResult(RgbImage.unstack(x), seeds, target, label(target), predicted, targetProb,
                    progress.lastLosses(), timings, s.iterationsDone(), s.cancelled(), Engines.describe(backbone.device()),
                    backbone.id(), cfg, run.placement(), run.colors(),
                    run.colors().kind() == ImageKind.RGB ? null : perSample(channels), run.fit(), run.foundObject());
        }
    }

    /** Each sample's channels as planes (channels x height x width), copied to the host. */
    private static List<float[]> perSample(NDArray channels) {
        float[] all = channels.toFloatArray();
        int n = (int) channels.getShape().get(0);
        int per = all.length / n;
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per));
        }
        return out;
    }

    /** The method's objective; under the user's controls the class terms read the class activation map per region. */
    private Objective objective(ImagineConfig cfg, boolean regionClass, int target, NDManager m) {
        return Terms.objective(new Terms.Context(cfg, backbone, target, taps(cfg), m), regionClass);
    }


    /**
     * Runs the samples whose target probability ended below {@code retry_below} once more from
     * new noise, and keeps the better of the two tries for each. Rare (a chaotic optimization
     * sometimes ends in noise), so cheaper than making every run more conservative.
     */
    private SynthesisResult retryLost(Run run, ImagineConfig cfg, SynthesisResult r, ProgressListener listener) {
        List<Integer> lost = LostSamples.of(r, cfg);
        if (lost.isEmpty() || run.cancel().isCancelled()) {
            return r;
        }
        long[] seeds = new long[lost.size()];
        for (int k = 0; k < seeds.length; k++) {
            seeds[k] = r.seeds()[lost.get(k)] + RETRY_SEED_OFFSET;
        }
        ImagineConfig again = cfg.toBuilder().samples(seeds.length).seed(cfg.output().seed() + RETRY_SEED_OFFSET)
                .targetClass(r.targetClass()).build();
        SynthesisResult r2 = run(run, again, seeds,
                new ProgressReporter(listener, "retry of " + seeds.length + " lost sample(s), "));
        return LostSamples.keepBetter(r, r2, lost);
    }
}
