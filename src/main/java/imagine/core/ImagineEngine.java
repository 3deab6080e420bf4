package imagine.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import imagine.model.Backbone;
import imagine.model.Features;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * IMAGINE: optimizes the pixels of several samples at once, from noise, against a frozen
 * classifier, with the objective CE + TV + L2 + feature-statistics matching + patch-adversarial
 * term. Runs coarse-to-fine when configured. Not thread-safe: DJL's gradient recording is
 * global, so one synthesis runs at a time per process (the service queues jobs).
 */
public final class ImagineEngine {

    /** Consecutive non-finite steps after which a run is reported as diverged. */
    static final int MAX_BAD_STEPS = 20;

    private final Backbone backbone;

    public ImagineEngine(Backbone backbone) {
        this.backbone = backbone;
    }

    public Backbone backbone() {
        return backbone;
    }

    /** Top-k classes of an image, resized to the backbone's native square input. */
    public List<Prediction> classify(RgbImage image, int k) {
        try (var g = Grads.noGrad()) {
            return classifyNoGrad(image, k);
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    private List<Prediction> classifyNoGrad(RgbImage image, int k) {
        int s = backbone.nativeSize();
        RgbImage in = image.resize(s, s);
        try (NDManager m = NDManager.newBaseManager(backbone.device())) {
            NDArray x = m.create(in.planes(), new Shape(1, 3, s, s));
            float[] p = backbone.forward(x, Set.of()).logits().softmax(1).toFloatArray();
            return topK(p, k);
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
        try (var g = Grads.noGrad()) {
            long[] seeds = new long[cfg.samples];
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = cfg.seed + i;
            }
            return retryLost(reference, controls, cfg, run(reference, controls, cfg, seeds, listener, cancel), listener,
                    cancel);
        } catch (Exception e) {
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    /** Added to a lost sample's seed for its second try; the result's seeds say which one a sample came from. */
    static final long RETRY_SEED_OFFSET = 1_000_003;
    static final int RETRY_MIN_ITERATIONS = 200;

    /**
     * Runs the samples whose target probability ended below {@code cfg.retryBelow} once more from
     * new noise, and keeps the better of the two tries for each. Rare (a chaotic optimization
     * sometimes ends in noise), so cheaper than making every run more conservative.
     */
    private SynthesisResult retryLost(RgbImage reference, Controls controls, ImagineConfig cfg, SynthesisResult r,
            ProgressListener listener, CancellationToken cancel) {
        List<Integer> lost = new ArrayList<>();
        for (int i = 0; i < r.samples().size(); i++) {
            if (r.targetProbabilities()[i] < cfg.retryBelow) {
                lost.add(i);
            }
        }
        // A short run (a test, a quick look) is not expected to have converged: nothing to retry.
        if (lost.isEmpty() || r.cancelled() || cancel.isCancelled() || cfg.iterations < RETRY_MIN_ITERATIONS) {
            return r;
        }
        long[] seeds = new long[lost.size()];
        for (int k = 0; k < seeds.length; k++) {
            seeds[k] = r.seeds()[lost.get(k)] + RETRY_SEED_OFFSET;
        }
        ImagineConfig again = cfg.toBuilder().samples(seeds.length).seed(cfg.seed + RETRY_SEED_OFFSET)
                .targetClass(r.targetClass()).build();
        String note = "retry of " + seeds.length + " lost sample(s), ";
        ProgressListener relabel = new ProgressListener() {
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
        SynthesisResult r2 = run(reference, controls, again, seeds, relabel, cancel);
        List<RgbImage> samples = new ArrayList<>(r.samples());
        long[] outSeeds = r.seeds().clone();
        int[] predicted = r.predictedClasses().clone();
        double[] prob = r.targetProbabilities().clone();
        int replaced = 0;
        for (int k = 0; k < seeds.length; k++) {
            int i = lost.get(k);
            if (!r2.cancelled() && r2.targetProbabilities()[k] > prob[i]) {
                samples.set(i, r2.samples().get(k));
                outSeeds[i] = seeds[k];
                predicted[i] = r2.predictedClasses()[k];
                prob[i] = r2.targetProbabilities()[k];
                replaced++;
            }
        }
        Map<String, Long> timings = new LinkedHashMap<>(r.timings());
        r2.timings().forEach((k, v) -> timings.merge(k, v, Long::sum));
        timings.put("retried_samples", (long) seeds.length);
        timings.put("replaced_samples", (long) replaced);
        return new SynthesisResult(samples, outSeeds, r.targetClass(), r.targetLabel(), predicted, prob, r.finalLosses(),
                timings, r.iterationsDone(), r.cancelled(), r.device(), r.model(), cfg, r.placement());
    }

    private SynthesisResult run(RgbImage reference, Controls controls, ImagineConfig cfg, long[] seeds,
            ProgressListener listener, CancellationToken cancel) {
        if (cfg.targetClass >= backbone.labels().size()) {
            throw new IllegalArgumentException("class " + cfg.targetClass + " does not exist: model " + backbone.id()
                    + " has classes 0 to " + (backbone.labels().size() - 1) + ".");
        }
        // Checked before any work: a bad mask or box fails in milliseconds with a readable message.
        Placement placement = controls.resolve(reference.width(), reference.height(), cfg.width, cfg.height);
        long t0 = System.nanoTime();
        int target = cfg.targetClass >= 0 ? cfg.targetClass : classify(objectCrop(reference, placement), 1).get(0).index();
        List<String> taps = cfg.taps.isEmpty() ? backbone.defaultTaps() : cfg.taps;
        for (String t : taps) {
            backbone.tapStride(t); // fails early with the list of known taps
        }
        Timer timer = new Timer();
        Map<String, Double> lastLosses = new LinkedHashMap<>();
        boolean cancelled = false;
        int done = 0;
        int skipped = 0;
        int badSteps = 0;
        try (NDManager run = NDManager.newBaseManager(backbone.device())) {
            PatchAdversarial adversarial = new PatchAdversarial(cfg, run, cfg.seed);
            Objective objective = (placement.controlled()
                    ? Objective.of(new RegionClassLoss(target, backbone), cfg.classWeight)
                            .plus(new BackgroundEvidence(target, backbone), cfg.backgroundWeight)
                            .plus(new BackgroundSmoothness(), cfg.backgroundTvWeight)
                    : Objective.of(new ClassLoss(target), cfg.classWeight))
                    .plus(TotalVariation.l2(), cfg.tvL2Weight)
                    .plus(TotalVariation.l1(), cfg.tvL1Weight)
                    .plus(new L2Prior(), cfg.l2Weight)
                    .plus(new FeatureMatching(taps, cfg.tapWeights, run), cfg.featureWeight)
                    .plus(adversarial, cfg.adversarialWeight);
            boolean adversarialOn = cfg.adversarialWeight > 0;
            Augmentation aug = new Augmentation(cfg.jitter, cfg.flips);
            Random rng = new Random(cfg.seed);
            int coarse = cfg.coarseIterations();
            List<int[]> stages = new ArrayList<>(); // {width, height, first iteration, end}
            if (coarse > 0) {
                stages.add(new int[] {Math.max(16, cfg.width / cfg.coarseDivisor), Math.max(16, cfg.height / cfg.coarseDivisor),
                        0, coarse});
            }
            stages.add(new int[] {cfg.width, cfg.height, coarse, cfg.iterations});

            NDArray x = null;
            int reportEvery = Math.max(1, Math.min(10, cfg.iterations / 100));
            stageLoop:
            for (int si = 0; si < stages.size(); si++) {
                int[] st = stages.get(si);
                int w = st[0];
                int h = st[1];
                String stageName = stages.size() > 1 ? (si == 0 ? "coarse " : "fine ") + w + "x" + h : w + "x" + h;
                if (si == 0) {
                    x = initialNoise(run, seeds, w, h);
                } else {
                    NDArray coarseX = x;
                    x = upsample(coarseX, w, h);
                    coarseX.close();
                }
                x.setRequiresGradient(true);
                try (NDManager stage = run.newSubManager()) {
                    RgbImage ref = placement.controlled()
                            ? referenceForTargets(reference, placement.objectToTargetScale() * w / cfg.width, w, h)
                            : referenceAtScale(reference, w, h);
                    NDArray refImage = stage.create(ref.planes(), new Shape(1, 3, ref.height(), ref.width()));
                    Features refFeatures = backbone.forward(refImage, objective.taps());
                    StageRegions regions = placement.controlled()
                            ? StageRegions.of(placement, ref.width(), ref.height(), w, h, stage) : null;
                    objective.prepare(new Reference(refImage, refFeatures, regions));
                    Optimizer adam = Adam.builder().optLearningRateTracker(schedule(cfg, st[3] - st[2], si > 0)).build();
                    double scale = (double) w / cfg.width;
                    for (int it = st[2]; it < st[3]; it++) {
                        if (cancel.isCancelled()) {
                            cancelled = true;
                            break stageLoop;
                        }
                        boolean report = (it + 1) % reportEvery == 0 || it == cfg.iterations - 1 || it == 0;
                        Map<String, Double> losses = null;
                        double total = Double.NaN;
                        long a = System.nanoTime();
                        try (NDScope scope = new NDScope();
                                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            scope.suppressNotUsedWarning();
                            Augmentation.Jitter jitter = aug.draw(rng, scale);
                            NDArray xa = jitter.apply(x);
                            Features f = backbone.forward(xa, objective.taps());
                            long b = System.nanoTime();
                            timer.add("forward", b - a);
                            Map<String, NDArray> values = new LinkedHashMap<>();
                            StepRegions stepRegions = regions == null ? null : regions.jittered(jitter);
                            NDArray loss = objective.evaluate(new Step(xa, x, f, it, cfg.iterations, stepRegions), values);
                            long c = System.nanoTime();
                            timer.add("objective", c - b);
                            gc.backward(loss);
                            a = System.nanoTime();
                            timer.add("backward", a - c);
                            if (report) {
                                losses = Objective.toHost(values);
                                total = loss.getFloat();
                            }
                        }
                        // Outside the scope: Adam keeps the state arrays it creates on its first update.
                        NDArray grad = x.getGradient();
                        // One scalar to the host: a NaN or infinity anywhere in the gradient makes the sum
                        // non-finite. Such a step is skipped rather than poisoning the pixels for good.
                        boolean finite;
                        try (NDArray gs = grad.sum()) {
                            finite = Float.isFinite(gs.getFloat());
                        }
                        if (finite) {
                            adam.update("pixels", x, grad);
                            badSteps = 0;
                        } else {
                            skipped++;
                            if (++badSteps > MAX_BAD_STEPS) {
                                grad.close();
                                throw new ArithmeticException("The optimization diverged (" + badSteps
                                        + " steps in a row gave NaN or infinite gradients at iteration " + it
                                        + "). Lower the learning rate or the adversarial weight and run again.");
                            }
                        }
                        grad.close();
                        NDArray clipped = x.clip(0f, 1f);
                        x.close();
                        x = clipped;
                        x.setRequiresGradient(true);
                        long b = System.nanoTime();
                        timer.add("update", b - a);
                        if (adversarialOn && adversarial.trainsAt(it, st[2])) {
                            adversarial.trainDiscriminator(x);
                            timer.add("discriminator", System.nanoTime() - b);
                        }
                        done = it + 1;
                        if (report) {
                            if (adversarialOn && !Float.isNaN(adversarial.lastDiscriminatorLoss())) {
                                losses.put("disc", (double) adversarial.lastDiscriminatorLoss());
                            }
                            lastLosses = losses;
                            long elapsed = (System.nanoTime() - t0) / 1_000_000;
                            long eta = done == 0 ? 0 : elapsed * (cfg.iterations - done) / done;
                            Progress p = new Progress(done, cfg.iterations, stageName, losses, total, elapsed, eta);
                            listener.onProgress(p);
                            if (listener.wantsPreview(p)) {
                                listener.onPreview(toImages(x));
                            }
                        }
                    }
                }
            }
            adversarial.close();
            if (x.getShape().get(3) != cfg.width || x.getShape().get(2) != cfg.height) {
                // Cancelled during the coarse stage: still deliver samples at the requested size.
                NDArray coarseX = x;
                x = upsample(coarseX, cfg.width, cfg.height);
                coarseX.close();
            }
            List<RgbImage> samples = toImages(x);
            int[] predicted = new int[cfg.samples];
            double[] targetProb = new double[cfg.samples];
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                float[] p = backbone.forward(x, Set.of()).logits().softmax(1).toFloatArray();
                int k = p.length / cfg.samples;
                for (int i = 0; i < cfg.samples; i++) {
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
            Map<String, Long> timings = timer.millis();
            timings.put("total", (System.nanoTime() - t0) / 1_000_000);
            timings.put("skipped_steps", (long) (skipped + adversarial.skippedUpdates()));
            return new SynthesisResult(samples, seeds, target, label(target), predicted, targetProb, lastLosses, timings,
                    done, cancelled, backbone.device().toString(), backbone.id(), cfg, placement);
        }
    }

    private static Tracker schedule(ImagineConfig cfg, int iterations, boolean later) {
        int warm = Math.min(later ? cfg.warmupIterations / 2 : cfg.warmupIterations, iterations / 2);
        Tracker cosine = Tracker.cosine().setBaseValue((float) cfg.learningRate)
                .optFinalValue((float) (cfg.learningRate * cfg.finalLearningRateFraction))
                .setMaxUpdates(Math.max(1, iterations - warm)).build();
        if (warm == 0) {
            return cosine;
        }
        return Tracker.warmUp().optWarmUpBeginValue((float) (cfg.learningRate * 0.05)).optWarmUpSteps(warm)
                .setMainTracker(cosine).build();
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

    private static NDArray initialNoise(NDManager m, long[] seeds, int w, int h) {
        int plane = 3 * w * h;
        float[] data = new float[seeds.length * plane];
        for (int i = 0; i < seeds.length; i++) {
            Random r = new Random(seeds[i]);
            for (int j = 0; j < plane; j++) {
                data[i * plane + j] = (float) Math.min(1, Math.max(0, 0.5 + 0.2 * r.nextGaussian()));
            }
        }
        return m.create(data, new Shape(seeds.length, 3, h, w));
    }

    private static NDArray upsample(NDArray x, int w, int h) {
        try (NDArray detached = x.stopGradient();
                NDArray up = detached.getNDArrayInternal().interpolation(new long[] {h, w}, 1, false)) {
            return up.clip(0f, 1f);
        }
    }

    private static List<RgbImage> toImages(NDArray x) {
        Shape s = x.getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] all = x.toFloatArray();
        List<RgbImage> out = new ArrayList<>(n);
        int plane = 3 * w * h;
        for (int i = 0; i < n; i++) {
            float[] p = new float[plane];
            System.arraycopy(all, i * plane, p, 0, plane);
            out.add(new RgbImage(w, h, p));
        }
        return out;
    }

    /** Accumulates nanoseconds per phase. */
    private static final class Timer {
        private final Map<String, Long> nanos = new LinkedHashMap<>();

        void add(String phase, long ns) {
            nanos.merge(phase, ns, Long::sum);
        }

        Map<String, Long> millis() {
            Map<String, Long> m = new LinkedHashMap<>();
            nanos.forEach((k, v) -> m.put(k, v / 1_000_000));
            return m;
        }
    }
}
