package imagine.core;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import imagine.UserInputException;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
    private final Function<Device, MemoryAdmission.Budget> memory;

    public ImagineEngine(Backbone backbone) {
        this(backbone, 0, List.of(), MemoryAdmission::budget);
    }

    private ImagineEngine(Backbone backbone, int threads, List<SynthesisListener> listeners,
            Function<Device, MemoryAdmission.Budget> memory) {
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
        private Function<Device, MemoryAdmission.Budget> memory = MemoryAdmission::budget;

        private Builder(Backbone backbone) {
            this.backbone = backbone;
        }

        /**
         * CPU threads for this engine's work, set on the calling thread for the length of each call
         * and restored after (0 = leave as they are). One makes runs repeatable in most processes
         * (not always bit-exact: README, "seed").
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
        public Builder optMemoryBudget(Function<Device, MemoryAdmission.Budget> budget) {
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

    /** Top-k classes of an image, resized to the backbone's native square input. */
    public List<Prediction> classify(RgbImage image, int k) {
        try (GradMode g = GradMode.off(); Engines.ThreadScope t = Engines.withThreads(threads)) {
            int s = backbone.nativeSize();
            try (NDManager m = Engines.pytorch().newBaseManager(backbone.device())) {
                float[] p = backbone.forward(image.resize(s, s).toArray(m), Set.of()).logits().softmax(1).toFloatArray();
                return topK(p, k);
            }
        }
    }

    List<Prediction> topK(float[] p, int k) {
        List<Prediction> out = new ArrayList<>();
        boolean[] used = new boolean[p.length];
        for (int r = 0; r < Math.min(k, p.length); r++) {
            int best = -1;
            for (int i = 0; i < p.length; i++) {
                if (!used[i] && (best < 0 || p[i] > p[best])) {
                    best = i;
                }
            }
            used[best] = true;
            out.add(new Prediction(best, p[best], label(best)));
        }
        return out;
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

    /** Runs a synthesis under position/shape controls; never modifies {@code reference}. */
    public SynthesisResult synthesize(RgbImage reference, Controls controls, ImagineConfig cfg, ProgressListener listener,
            CancellationToken cancel) {
        // Checked before any work (and before waiting for another run): bad input fails in milliseconds.
        int classes = backbone.labels().size();
        if (cfg.output().targetClass() >= classes) {
            throw new UserInputException("class " + cfg.output().targetClass() + " does not exist: model " + backbone.id()
                    + " has classes 0 to " + (classes - 1) + ".");
        }
        Placement placement = controls.resolve(reference.width(), reference.height(), cfg.output().width(),
                cfg.output().height());
        checkMemory(cfg, placement.controlled());
        long[] seeds = new long[cfg.output().samples()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = cfg.output().seed() + i;
        }
        acquire(cancel);
        try (GradMode g = GradMode.off(); Engines.ThreadScope t = Engines.withThreads(threads)) {
            SynthesisResult first = run(reference, placement, cfg, seeds, listener, cancel);
            return retryLost(reference, placement, cfg, first, listener, cancel);
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }

    /**
     * Refuses, before anything is allocated, a run that cannot fit in the memory left (the model is
     * already loaded), saying what would fit; {@link #synthesize} calls it first.
     */
    public void checkMemory(ImagineConfig cfg) {
        checkMemory(cfg, false);
    }

    /** As {@link #checkMemory(ImagineConfig)}, for a run under position/shape control or not. */
    public void checkMemory(ImagineConfig cfg, boolean controlled) {
        MemoryAdmission.check(cfg, ModelSpec.find(backbone.id()).orElse(ModelSpec.MOBILENET_V1_075).cost(),
                memory.apply(backbone.device()), controlled);
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

    private SynthesisResult run(RgbImage reference, Placement placement, ImagineConfig cfg, long[] seeds,
            ProgressListener listener, CancellationToken cancel) {
        long t0 = System.nanoTime();
        int target = cfg.output().targetClass() >= 0 ? cfg.output().targetClass()
                : classify(objectCrop(reference, placement), 1).get(0).index();
        TimingListener timing = new TimingListener();
        ProgressReporter progress = new ProgressReporter(listener, t0);
        List<SynthesisListener> all = new ArrayList<>(List.of(timing, new DivergenceGuard(), progress));
        all.addAll(listeners);
        try (NDManager m = Engines.pytorch().newBaseManager(backbone.device());
                Objective objective = objective(cfg, placement, target, m)) {
            Synthesis s = new Synthesis(backbone, cfg, placement, reference, seeds, cancel, all);
            NDArray x = s.run(m, objective);
            List<RgbImage> samples = RgbImage.unstack(x);
            int[] predicted = new int[seeds.length];
            double[] targetProb = new double[seeds.length];
            predict(x, cfg, placement.controlled(), target, predicted, targetProb);
            Timings timings = timing.timings(System.nanoTime() - t0, objective.skippedUpdates());
            return new SynthesisResult(samples, seeds, target, label(target), predicted, targetProb,
                    progress.lastLosses(), timings, s.iterationsDone(), s.cancelled(), backbone.device().toString(),
                    backbone.id(), cfg, placement);
        }
    }

    /** The method's objective; under controls the class terms read the class activation map per region. */
    private Objective objective(ImagineConfig cfg, Placement placement, int target, NDManager m) {
        List<String> taps = cfg.output().taps().isEmpty() ? backbone.defaultTaps() : cfg.output().taps();
        for (String t : taps) {
            backbone.tapStride(t); // fails early with the list of known taps
        }
        ImagineConfig.Weights w = cfg.weights();
        Objective classTerms = placement.controlled()
                ? Objective.of(new RegionClassLoss(target, backbone), w.classWeight())
                        .plus(new BackgroundEvidence(target, backbone), w.backgroundWeight())
                        .plus(new BackgroundSmoothness(), w.backgroundTvWeight())
                : Objective.of(new ClassLoss(target), w.classWeight());
        return classTerms.plus(TotalVariation.l2(), w.tvL2Weight())
                .plus(TotalVariation.l1(), w.tvL1Weight())
                .plus(new L2Prior(), w.l2Weight())
                .plus(new FeatureMatching(taps, w.tapWeights(), m), w.featureWeight())
                .plus(new PatchAdversarial(cfg, m, cfg.output().seed()), w.adversarialWeight());
    }

    /** Each sample's top-1 class and its probability of the target class. */
    private void predict(NDArray x, ImagineConfig cfg, boolean controlled, int target, int[] predicted,
            double[] targetProb) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        float[] p;
        if (!Stage.windowed(cfg, controlled)) {
            p = probabilities(x);
        } else {
            // An output refined in windows is judged as it was made, window by window (mean class probabilities over
            // windows covering it): judged whole, every activation of the forward pass lives until
            // the scope closes (3.5 GiB at 2048 px, more than the whole optimization), and shrunk to
            // the classifier's scale its objects, made at window scale, are too small to read.
            int win = cfg.schedule().window();
            int[] ys = Augmentation.WindowSampler.positions((int) Math.max(0, h - win), win);
            int[] xs = Augmentation.WindowSampler.positions((int) Math.max(0, w - win), win);
            p = null;
            for (int y : ys) {
                for (int x0 : xs) {
                    float[] q;
                    try (NDArray tile = x.get(new NDIndex(":, :, {}:{}, {}:{}", y,
                            Math.min(h, y + win), x0, Math.min(w, x0 + win)))) {
                        q = probabilities(tile);
                    }
                    if (p == null) {
                        p = q;
                    } else {
                        for (int i = 0; i < p.length; i++) {
                            p[i] += q[i];
                        }
                    }
                }
            }
            for (int i = 0; i < p.length; i++) {
                p[i] /= ys.length * xs.length;
            }
        }
        int k = p.length / predicted.length;
        for (int i = 0; i < predicted.length; i++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (p[i * k + j] > p[i * k + best]) {
                    best = j;
                }
            }
            predicted[i] = best;
            targetProb[i] = p[i * k + target];
        }
    }

    /** Class probabilities of each image of the batch, flattened (N x classes). */
    private float[] probabilities(NDArray x) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return backbone.forward(x, Set.of()).logits().softmax(1).toFloatArray();
        }
    }

    /**
     * Runs the samples whose target probability ended below {@code retry_below} once more from
     * new noise, and keeps the better of the two tries for each. Rare (a chaotic optimization
     * sometimes ends in noise), so cheaper than making every run more conservative.
     */
    private SynthesisResult retryLost(RgbImage reference, Placement placement, ImagineConfig cfg, SynthesisResult r,
            ProgressListener listener, CancellationToken cancel) {
        List<Integer> lost = new ArrayList<>();
        for (int i = 0; i < r.samples().size(); i++) {
            if (r.targetProbabilities()[i] < cfg.schedule().retryBelow()) {
                lost.add(i);
            }
        }
        // A short run (a test, a quick look) is not expected to have converged: nothing to retry.
        if (lost.isEmpty() || r.cancelled() || cancel.isCancelled()
                || cfg.schedule().iterations() < RETRY_MIN_ITERATIONS) {
            return r;
        }
        long[] seeds = new long[lost.size()];
        for (int k = 0; k < seeds.length; k++) {
            seeds[k] = r.seeds()[lost.get(k)] + RETRY_SEED_OFFSET;
        }
        ImagineConfig again = cfg.toBuilder().samples(seeds.length).seed(cfg.output().seed() + RETRY_SEED_OFFSET)
                .targetClass(r.targetClass()).build();
        SynthesisResult r2 = run(reference, placement, again, seeds,
                relabelled(listener, "retry of " + seeds.length + " lost sample(s), "), cancel);
        return keepBetter(r, r2, lost);
    }

    /** The first run with each lost sample replaced by its second try where that one is better. */
    private static SynthesisResult keepBetter(SynthesisResult r, SynthesisResult r2, List<Integer> lost) {
        List<RgbImage> samples = new ArrayList<>(r.samples());
        long[] seeds = r.seeds().clone();
        int[] predicted = r.predictedClasses().clone();
        double[] prob = r.targetProbabilities().clone();
        int replaced = 0;
        for (int k = 0; k < lost.size(); k++) {
            int i = lost.get(k);
            if (!r2.cancelled() && r2.targetProbabilities()[k] > prob[i]) {
                samples.set(i, r2.samples().get(k));
                seeds[i] = r2.seeds()[k];
                predicted[i] = r2.predictedClasses()[k];
                prob[i] = r2.targetProbabilities()[k];
                replaced++;
            }
        }
        Timings timings = r.timings().plus(r2.timings()).withRetries(lost.size(), replaced);
        return new SynthesisResult(samples, seeds, r.targetClass(), r.targetLabel(), predicted, prob, r.finalLosses(),
                timings, r.iterationsDone(), r.cancelled(), r.device(), r.model(), r.config(), r.placement());
    }

    /** Progress of a second try, its stage names prefixed so a user sees what is going on. */
    private static ProgressListener relabelled(ProgressListener listener, String note) {
        return new ProgressListener() {
            @Override
            public void onProgress(Progress p) {
                listener.onProgress(new Progress(p.iteration(), p.totalIterations(), note + p.stage(), p.losses(),
                        p.total(), p.elapsedMillis(), p.etaMillis()));
            }

            @Override
            public boolean wantsPreview(Progress p) {
                return listener.wantsPreview(p);
            }

            @Override
            public void onPreview(List<RgbImage> samples) {
                listener.onPreview(samples);
            }
        };
    }

    /** The object's bounding box of the reference (the whole reference without an object mask): what y* is read from. */
    static RgbImage objectCrop(RgbImage ref, Placement p) {
        int[] b = p.object() == null ? null : p.object().bounds();
        if (b == null || (b[2] == ref.width() && b[3] == ref.height())) {
            return ref;
        }
        return ref.crop(b[0], b[1], b[2], b[3]);
    }

    /**
     * The reference scaled by {@code factor} so its object matches the targets' size, bounded so a
     * tiny target cannot shrink it below what the backbone can read and a huge one cannot make a
     * stage cost more than four output frames.
     */
    static RgbImage referenceForTargets(RgbImage ref, double factor, int w, int h) {
        double f = factor;
        f = Math.max(f, 32.0 / Math.min(ref.width(), ref.height()));
        f = Math.min(f, Math.sqrt(4.0 * w * h / ((double) ref.width() * ref.height())));
        int rw = (int) Math.max(16, Math.round(ref.width() * f));
        int rh = (int) Math.max(16, Math.round(ref.height() * f));
        return ref.resize(rw, rh);
    }

    /** The reference resized to about the stage's pixel count, keeping its aspect ratio. */
    static RgbImage referenceAtScale(RgbImage ref, int w, int h) {
        double aspect = (double) ref.width() / ref.height();
        double area = (double) w * h;
        int rw = (int) Math.max(16, Math.round(Math.sqrt(area * aspect)));
        int rh = (int) Math.max(16, Math.round(rw / aspect));
        return ref.resize(rw, rh);
    }
}
