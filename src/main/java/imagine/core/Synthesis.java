package imagine.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import imagine.config.ImagineConfig;
import imagine.controls.Placement;
import imagine.image.ChannelColors;
import imagine.image.ImageKind;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.Features;
import imagine.model.Scalars;
import imagine.objective.FeatureStats;
import imagine.objective.GradientGuard;
import imagine.objective.LayoutTarget;
import imagine.objective.Objective;
import imagine.objective.PaddingBand;
import imagine.objective.Reference;
import imagine.objective.Stage;
import imagine.objective.StageRegions;
import imagine.objective.Step;
import imagine.objective.StepRegions;
import imagine.objective.View;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the optimization loop: the pixels of every sample start as noise and go through the
 * stages of the schedule; each step views the pixels through a random augmentation, evaluates the
 * objective, moves the pixels with Adam and lets the terms react. What happens around a step
 * (timing, progress, divergence) is left to {@link SynthesisListener}s. Used once.
 */
final class Synthesis {

    private static final Logger LOG = LoggerFactory.getLogger(Synthesis.class);

    private final Backbone backbone;
    private final Engine engine = Engines.pytorch();
    private final ImagineConfig cfg;
    private final Placement placement;
    private final List<Stage> stages;
    private final RgbImage reference;
    private final long[] seeds;
    private final CancellationToken cancel;
    private final List<SynthesisListener> listeners;
    private final Augmentation augmentation;
    private final Random rng;
    /** Losses are copied to the host every this many steps (and at the first and last). */
    private final int reportEvery;
    /**
     * Extra views per step for the class term, a rate (0.5: one every other step); none when the
     * class term reads the user's target regions: their masks would not follow.
     */
    private final double robustViews;
    /** How the optimized channels are shown in RGB (see {@link #shown}). */
    private final ChannelColors colors;
    /** The colours as a (3, channels) array, for a composite; null otherwise. */
    private NDArray mix;

    private NDArray pixels;
    /** Where a windowed stage's windows go next. */
    private Augmentation.WindowSampler windows;
    /** Judges each step's gradient; one per stage, as the gradients' scale changes with the stage's size. */
    private GradientGuard gradients;
    private int done;
    private boolean cancelled;

    /**
     * @param regionClass whether the class term reads the class activation map per region (user
     *     controls), which robust views cannot feed; a found object (auto_object) keeps the whole
     *     view's class term and so its robust views
     */
    Synthesis(Backbone backbone, ImagineConfig cfg, Placement placement, boolean regionClass, List<Stage> stages,
            RgbImage reference, ChannelColors colors, long[] seeds, CancellationToken cancel,
            List<SynthesisListener> listeners) {
        this.backbone = backbone;
        this.cfg = cfg;
        this.placement = placement;
        this.stages = stages;
        this.reference = reference;
        this.seeds = seeds;
        this.cancel = cancel;
        this.listeners = List.copyOf(listeners);
        this.augmentation = new Augmentation(cfg.schedule().jitter(), cfg.schedule().scaleJitter(), cfg.schedule().flips());
        this.rng = new Random(cfg.output().seed());
        this.reportEvery = Math.max(1, Math.min(10, cfg.schedule().iterations() / 100));
        // Robust views feed only the class term: none when it reads regions (they need the frame) or
        // without a class term (feature statistics only).
        this.robustViews = regionClass || cfg.weights().classWeight() == 0 ? 0 : cfg.schedule().robustViews();
        this.colors = colors;
    }

    /**
     * Runs every stage (until cancelled); returns the optimized channels at the output size, owned
     * by {@code run} ({@link #shown} gives their RGB).
     */
    NDArray run(NDManager run, Objective objective) {
        if (colors.kind() == ImageKind.COMPOSITE) {
            mix = run.create(colors.matrix(), new Shape(3, colors.channels()));
        }
        Stage last = null;
        for (Stage stage : stages) {
            pixels = stage.index() == 0 ? initialNoise(run, stage) : resized(stage.canvasWidth(), stage.canvasHeight());
            pixels.setRequiresGradient(true);
            last = stage;
            runStage(stage, run, objective);
            if (cancelled) {
                break;
            }
        }
        // The output is the canvas's frame; cancelled in the coarse stage, still at the requested size.
        NDArray frame = last.frame(pixels.stopGradient());
        if (last.width() != cfg.output().width() || last.height() != cfg.output().height()) {
            frame = Scalars.clip(frame.getNDArrayInternal().interpolation(
                    new long[] {cfg.output().height(), cfg.output().width()}, 1, false), 0, 1);
        }
        return frame.duplicate();
    }

    /**
     * The pixels as the classifier and every term see them: RGB. RGB pixels are shown as they are;
     * a gray run's one channel as the same plane three times, so the objective is exactly that of
     * the gray picture in RGB and the gradients of the three copies add up in the one channel; a
     * composite's channels mixed with their colours and clipped, as Fiji blends them.
     */
    /**
     * {@link #shown} outside a step's scope: the arrays made on the way are closed at once, only the
     * result is kept (for RGB, {@code x} itself; closing both is harmless, a close is idempotent).
     */
    NDArray shownAlone(NDArray x) {
        NDArray r;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            r = shown(x);
            NDScope.unregister(r);
        }
        NDScope.register(r);
        return r;
    }

    NDArray shown(NDArray x) {
        switch (colors.kind()) {
            case RGB:
                return x;
            case GRAY:
                return NDArrays.concat(new NDList(x, x, x), 1);
            default:
                Shape s = x.getShape();
                NDArray flat = x.reshape(s.get(0), colors.channels(), -1);
                NDArray rgb = mix.matMul(flat).reshape(s.get(0), 3, s.get(2), s.get(3));
                return Scalars.clip(rgb, 0, 1);
        }
    }

    int iterationsDone() {
        return done;
    }

    boolean cancelled() {
        return cancelled;
    }

    private void runStage(Stage stage, NDManager run, Objective objective) {
        windows = new Augmentation.WindowSampler();
        gradients = new GradientGuard();
        try (NDManager stageManager = run.newSubManager()) {
            StageRegions regions = prepare(stage, objective, stageManager);
            Optimizer adam = Adam.builder().optLearningRateTracker(learningRate(stage)).build();
            listeners.forEach(l -> l.onStageStart(stage));
            for (int it = stage.first(); it < stage.end(); it++) {
                if (cancel.isCancelled()) {
                    cancelled = true;
                    return;
                }
                StepReport report = step(stage, it, regions, adam, objective);
                done = it + 1;
                for (SynthesisListener l : listeners) {
                    l.onStep(report, () -> frameImages(stage));
                }
            }
            listeners.forEach(l -> l.onStageEnd(stage));
        }
    }

    /** The reference at the stage's scale, its features handed to the terms; the controls at that scale. */
    private StageRegions prepare(Stage stage, Objective objective, NDManager m) {
        RgbImage ref = placement.controlled()
                ? reference.scaledForTargets(placement.objectToTargetScale() * stage.width() / cfg.output().width(),
                        stage.width(), stage.height())
                : reference.scaledToArea(stage.width(), stage.height());
        NDArray refImage = ref.toArray(m);
        StageRegions regions = placement.controlled()
                ? StageRegions.of(placement, ref.width(), ref.height(), stage.width(), stage.height(), stage.margin(), m)
                : null;
        Reference r = stage.windowed()
                // One pass over the whole reference would need the memory windows save: gather its statistics tile by tile.
                ? new Reference(refImage, null, null, tiledStats(refImage, objective.taps(), stage.window(), m), null)
                : new Reference(refImage, backbone.forward(refImage, objective.taps()), regions);
        objective.prepare(r.withLayout(layoutTarget(stage, m)));
        return regions;
    }

    /**
     * Where samples start from the reference's layout ({@link LayoutPrior}): object photos only. A
     * class steers (where none fits, a micrograph or a texture, its arrangement is not to be copied),
     * no targets say where things go, and the channels are the reference's colours.
     */
    private boolean layoutApplies() {
        return cfg.schedule().layoutPrior() > 0 && cfg.weights().classWeight() != 0 && placement.instances().isEmpty()
                && colors.kind() != ImageKind.COMPOSITE;
    }

    /** Each sample's own layout drawn for its start (same seed, same draw). */
    private Random layoutRandom(int i) {
        return new Random(seeds[i] * 0x9E3779B97F4A7C15L + 1);
    }

    /**
     * The samples' starting layouts at this stage as block means (blocks of about an eighth of the
     * frame's shorter side), for the layout term; null where no layout applies, and in windowed
     * stages (the steps there see a window, not the frame). Held in the fine stage too, where the
     * blocks are 28 px at 224 and every detail stays free, to keep a second animal from growing in
     * the background: on the tuning photos it did, on unseen ones it did not (docs/decisions.md).
     */
    private LayoutTarget layoutTarget(Stage stage, NDManager m) {
        if (!layoutApplies() || cfg.weights().layoutWeight() == 0 || stage.windowed()) {
            return null;
        }
        int w = stage.width();
        int h = stage.height();
        int k = Math.max(1, Math.min(w, h) / 8);
        int gw = w / k;
        int gh = h / k;
        int ch = colors.channels();
        float[] grid = new float[seeds.length * ch * gh * gw];
        for (int i = 0; i < seeds.length; i++) {
            float[] layout = LayoutPrior.draw(reference, w, h, 0, ch, cfg.schedule().layoutBlur(), layoutRandom(i));
            for (int c = 0; c < ch; c++) {
                for (int y = 0; y < gh * k; y++) {
                    for (int x = 0; x < gw * k; x++) {
                        grid[((i * ch + c) * gh + y / k) * gw + x / k] += layout[(c * h + y) * w + x] / (k * k);
                    }
                }
            }
        }
        return new LayoutTarget(m.create(grid, new Shape(seeds.length, ch, gh, gw)), k);
    }

    /**
     * Per-tap statistics of a large reference, from non-overlapping tiles of about {@code tile} px,
     * each without the padding band the feature term leaves out of every map.
     */
    private Map<String, FeatureStats> tiledStats(NDArray image, Set<String> taps, int tile, NDManager m) {
        long h = image.getShape().get(2);
        long w = image.getShape().get(3);
        PaddingBand band = new PaddingBand(cfg.weights().featureBorder());
        Map<String, FeatureStats.Accumulator> acc = new LinkedHashMap<>();
        taps.forEach(t -> acc.put(t, new FeatureStats.Accumulator()));
        for (long y = 0; y < h; y += tile) {
            for (long x = 0; x < w; x += tile) {
                long y0 = Math.max(0, Math.min(y, h - tile));
                long x0 = Math.max(0, Math.min(x, w - tile));
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray t = image.get(new NDIndex(":, :, {}:{}, {}:{}", y0, Math.min(h, y0 + tile),
                            x0, Math.min(w, x0 + tile)));
                    Features f = backbone.forward(t, taps);
                    for (String tap : taps) {
                        acc.get(tap).add(band.inner(f.tap(tap), t.getShape().get(3)));
                    }
                    acc.values().forEach(a -> a.keep(m));
                }
            }
        }
        Map<String, FeatureStats> stats = new LinkedHashMap<>();
        acc.forEach((k, v) -> stats.put(k, v.stats()));
        return stats;
    }

    /** One image update: view, objective, gradient, Adam, the terms' own updates. */
    private StepReport step(Stage stage, int it, StageRegions regions, Optimizer adam, Objective objective) {
        boolean measure = (it + 1) % reportEvery == 0 || it == cfg.schedule().iterations() - 1 || it == 0;
        Map<String, Double> losses = null;
        double total = Double.NaN;
        long t0 = System.nanoTime();
        long t1;
        long t2;
        long t3;
        try (NDScope scope = new NDScope(); GradientCollector gc = engine.newGradientCollector()) {
            scope.suppressNotUsedWarning();
            View v = stage.windowed() ? augmentation.drawWindow(rng, stage, windows)
                    : augmentation.draw(rng, stage, stage.scale(cfg.output().width()));
            // A windowed stage shows only its window in RGB: its frame and canvas are far larger than
            // what the classifier sees, and no term reads them there.
            NDArray canvas = stage.windowed() ? pixels : shown(pixels);
            NDArray view = stage.windowed() ? shown(v.apply(pixels)) : v.apply(canvas);
            NDArray frame = stage.frame(canvas);
            int robust = Augmentation.robustViews(stage, robustViews, it);
            NDArray robustBatch = robust == 0 ? null : robustViews(canvas, stage, robust);
            Features f;
            NDArray logits;
            if (robustBatch != null && robustBatch.getShape().slice(2).equals(view.getShape().slice(2))) {
                // Robust views of the view's size: one pass for all.
                Features all = backbone.forward(NDArrays.concat(new NDList(view, robustBatch), 0), objective.taps());
                f = all.firstRows(view.getShape().get(0));
                logits = all.logits();
            } else {
                f = backbone.forward(view, objective.taps());
                logits = robustBatch == null ? f.logits()
                        : NDArrays.concat(new NDList(f.logits(), backbone.forward(robustBatch, Set.of()).logits()), 0);
            }
            t1 = System.nanoTime();
            Map<String, NDArray> values = new LinkedHashMap<>();
            StepRegions stepRegions = regions == null ? null : regions.viewed(v);
            NDArray loss = objective.evaluate(new Step(view, frame, canvas, f, logits, it,
                    cfg.schedule().iterations(), stepRegions), values);
            t2 = System.nanoTime();
            for (SynthesisListener l : listeners) {
                l.beforeBackward(it);
            }
            gc.backward(loss);
            t3 = System.nanoTime();
            if (measure) {
                losses = Objective.toHost(values);
                total = loss.getFloat();
            }
        }
        boolean taken = applyGradient(adam, stage, it);
        long t4 = System.nanoTime();
        // Views: closed so they do not keep old pixels alive.
        try (NDArray frame = stage.frame(pixels); NDArray seen = shownAlone(frame)) {
            objective.afterUpdate(seen, it, stage);
        }
        long t5 = System.nanoTime();
        if (measure) {
            losses.putAll(objective.diagnostics());
        }
        return new StepReport(stage, it, cfg.schedule().iterations(), taken, losses, total,
                new StepReport.Phases(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4));
    }

    /**
     * The step's robust views, for the class term alone: one batch of every sample's robust views
     * (see {@link Augmentation#drawRobust} for their size).
     */
    private NDArray robustViews(NDArray canvas, Stage stage, int robust) {
        NDList parts = new NDList();
        for (int r = 0; r < robust; r++) {
            parts.add(augmentation.drawRobust(rng, stage).apply(canvas));
        }
        return parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, 0);
    }

    /**
     * Moves the pixels along a usable gradient and clips them to [0, 1]. One scalar to the host, the
     * gradient's mean magnitude, lets {@link GradientGuard} skip a non-finite or absurd gradient
     * rather than let it poison the pixels for good; a skipped step is logged.
     */
    private boolean applyGradient(Optimizer adam, Stage stage, int iteration) {
        // Outside the step's scope: Adam keeps the state arrays it creates on its first update.
        NDArray grad = pixels.getGradient();
        boolean sane;
        try (NDArray a = grad.abs(); NDArray mean = a.mean()) {
            float m = mean.getFloat();
            sane = gradients.accept(m);
            if (!sane) {
                LOG.warn("Step {} of {} (stage {}) skipped: gradient mean |g| {}, typical {}.", iteration + 1,
                        cfg.schedule().iterations(), stage.index() + 1, m, gradients.typical());
            }
        }
        if (sane) {
            adam.update("pixels", pixels, grad);
        }
        grad.close();
        NDArray clipped = Scalars.clip(pixels, 0, 1);
        pixels.close();
        pixels = clipped;
        pixels.setRequiresGradient(true);
        return sane;
    }

    /** Warm-up (halved after the first stage), then cosine decay to the final fraction. */
    private Tracker learningRate(Stage stage) {
        ImagineConfig.Schedule s = cfg.schedule();
        int warm = Math.min(stage.index() > 0 ? s.warmupIterations() / 2 : s.warmupIterations(), stage.iterations() / 2);
        Tracker cosine = Tracker.cosine().setBaseValue((float) s.learningRate())
                .optFinalValue((float) (s.learningRate() * s.finalLearningRateFraction()))
                .setMaxUpdates(Math.max(1, stage.iterations() - warm)).build();
        if (warm == 0) {
            return cosine;
        }
        return Tracker.warmUp().optWarmUpBeginValue((float) (s.learningRate() * 0.05)).optWarmUpSteps(warm)
                .setMainTracker(cosine).build();
    }

    /** Gaussian noise around mid-gray on the canvas, one seed per sample, so sample i is the same in any batch. */
    private NDArray initialNoise(NDManager m, Stage stage) {
        int w = stage.canvasWidth();
        int h = stage.canvasHeight();
        int plane = colors.channels() * w * h;
        float[] data = new float[seeds.length * plane];
        double a = cfg.schedule().layoutPrior();
        boolean layout = layoutApplies();
        for (int i = 0; i < seeds.length; i++) {
            Random r = new Random(seeds[i]);
            // Its own generator, so the noise of a sample is the same with or without the layout.
            float[] prior = layout ? LayoutPrior.draw(reference, w, h, stage.margin(), colors.channels(),
                    cfg.schedule().layoutBlur(), layoutRandom(i)) : null;
            for (int j = 0; j < plane; j++) {
                double mean = prior == null ? 0.5 : (1 - a) * 0.5 + a * prior[j];
                data[i * plane + j] = (float) Math.min(1, Math.max(0, mean + 0.2 * r.nextGaussian()));
            }
        }
        return m.create(data, new Shape(seeds.length, colors.channels(), h, w));
    }

    /** The samples' frames, copied to the host. */
    private List<RgbImage> frameImages(Stage stage) {
        try (NDArray frame = stage.frame(pixels); NDArray seen = shownAlone(frame)) {
            return RgbImage.unstack(seen);
        }
    }

    /** The pixels bilinearly resized (detached), replacing the old ones. */
    private NDArray resized(int w, int h) {
        NDArray old = pixels;
        try (NDArray detached = old.stopGradient();
                NDArray up = detached.getNDArrayInternal().interpolation(new long[] {h, w}, 1, false)) {
            return Scalars.clip(up, 0, 1);
        } finally {
            old.close();
        }
    }
}
