package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import imagine.config.ImagineConfig;
import imagine.image.Mask;
import imagine.model.Scalars;
import imagine.objective.CropSampler;
import imagine.objective.LossTerm;
import imagine.objective.Reference;
import imagine.objective.Stage;
import imagine.objective.StageRegions;
import imagine.objective.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * R_pc, patch consistency: -D(x) with D a {@link PatchDiscriminator} trained on the fly to tell
 * patches of the reference from patches of the samples. To keep the cost independent of the
 * image size, D sees random square crops rather than the whole frame (it is fully
 * convolutional, so a crop is just fewer patches). Acts on the image from {@code startIteration};
 * D starts learning a little earlier so its first gradients are meaningful. With controls the
 * crops are restricted to regions (object with object, background with background).
 */
public final class PatchAdversarial implements LossTerm {

    /** Smallest crop a discriminator of 5 valid 3x3 convolutions still scores. */
    static final int MIN_CROP = 16;

    /** One discriminator and where its real and fake patches come from, at one level of the image pyramid. */
    private static final class Channel {
        final PatchDiscriminator disc;
        final NDArray real;
        final CropSampler realCrops;
        final CropSampler fakeCrops; // null = anywhere in the samples
        final int level; // the images are shrunk by 2^level before cropping
        final float weight;

        Channel(PatchDiscriminator disc, NDArray real, CropSampler realCrops, CropSampler fakeCrops, int level,
                float weight) {
            this.disc = disc;
            this.real = real;
            this.realCrops = realCrops;
            this.fakeCrops = fakeCrops;
            this.level = level;
            this.weight = weight;
        }

        CropSampler fake(NDArray samples, int size) {
            return fakeCrops != null ? fakeCrops
                    : CropSampler.anywhere(samples.getShape().get(3), samples.getShape().get(2), size);
        }
    }

    private final ImagineConfig.Discriminator disc;
    private final int startIteration;
    private final NDManager manager;
    private final Random rng;
    private final List<Channel> channels = new ArrayList<>();
    private float lastDiscLoss = Float.NaN;
    private long stageSeed;
    private int skippedBefore;
    private int updatesThisStage;

    /** Discriminator updates before its gradient reaches the image. */
    static final int WARMUP_UPDATES = 10;

    /**
     * @param disc the discriminator's settings
     * @param startIteration the iteration from which the term acts on the image
     */
    public PatchAdversarial(ImagineConfig.Discriminator disc, int startIteration, NDManager manager, long seed) {
        this.disc = disc;
        this.startIteration = startIteration;
        this.manager = manager;
        this.rng = new Random(seed ^ 0x5DEECE66DL);
        this.stageSeed = seed;
    }

    @Override
    public String name() {
        return "adversarial";
    }

    /**
     * Fresh discriminators per stage: patches at another scale are another distribution. With
     * controls, one compares object patches of the reference with patches inside the targets, and
     * a second background with background when both images have one.
     */
    @Override
    public void prepare(Reference ref) {
        closeChannels();
        NDArray img = ref.image();
        int rw = (int) img.getShape().get(3);
        int rh = (int) img.getShape().get(2);
        StageRegions r = ref.regions();
        if (r == null) {
            // One discriminator for every level of the pyramid, as SinGAN's patch critic sees object parts
            // as well as texture: at level k its 11 px receptive field spans 11 * 2^k px of the image.
            PatchDiscriminator d = newDisc();
            int levels = levels(rw, rh);
            for (int k = 0; k < levels; k++) {
                NDArray realK = shrink(img, k);
                channels.add(new Channel(d, realK, CropSampler.anywhere(realK.getShape().get(3), realK.getShape().get(2),
                        disc.crop()), null, k, 1f / levels));
            }
        } else {
            int size = Math.min(disc.crop(), Math.max(MIN_CROP, Math.min(side(r.objectHost(), rw, rh),
                    side(r.targetHost(), r.targetHost().width(), r.targetHost().height()))));
            channels.add(new Channel(newDisc(), img,
                    r.objectHost() == null ? CropSampler.anywhere(rw, rh, size) : CropSampler.inside(r.objectHost(), size),
                    CropSampler.inside(r.targetHost(), size), 0, 1f));
            if (r.referenceBackground() && r.outputBackground()) {
                channels.add(new Channel(newDisc(), img, CropSampler.inside(r.objectHost().inverted(), disc.crop()),
                        CropSampler.inside(r.targetHost().inverted(), disc.crop()), 0, 1f));
            }
        }
        updatesThisStage = 0;
    }

    /** Pyramid levels that still hold one crop the discriminator can score (at least {@link #MIN_CROP} px). */
    private int levels(int w, int h) {
        int min = Math.max(MIN_CROP, 2 * disc.layers() + 2);
        int k = 1;
        while (k < disc.scales() && Math.min(w, h) >> k >= min) {
            k++;
        }
        return k;
    }

    /** The images shrunk by 2^k with a box filter (no aliasing), differentiable. */
    static NDArray shrink(NDArray x, int k) {
        if (k == 0) {
            return x;
        }
        int f = 1 << k;
        return x.getNDArrayInternal().avgPool(new Shape(f, f), new Shape(f, f), new Shape(0, 0), true, false);
    }

    /** Fake crops per image and level: the configured count, shared out over the pyramid's levels. */
    private int cropsPerLevel() {
        long levels = channels.stream().mapToInt(c -> c.level).max().orElse(0) + 1;
        return (int) Math.max(1, disc.crops() / levels);
    }

    private PatchDiscriminator newDisc() {
        return new PatchDiscriminator(manager, disc.width(), disc.layers(), disc.learningRate(),
                disc.beta1(), stageSeed++);
    }

    /** The smaller side of a region's bounding box (the frame when there is no mask). */
    private static int side(Mask m, int w, int h) {
        int[] b = m == null ? null : m.bounds();
        return b == null ? Math.min(w, h) : Math.min(b[2], b[3]);
    }

    /** Whether D trains at this iteration (from shortly before the term starts, every disc_every steps). */
    boolean trainsAt(int iteration, int stageStart) {
        int from = Math.max(stageStart, startIteration - 50);
        return iteration >= from && (iteration - from) % disc.every() == 0;
    }

    /** D learns from the updated samples, on its schedule. */
    @Override
    public void afterUpdate(NDArray pixels, int iteration, Stage stage) {
        if (trainsAt(iteration, stage.first())) {
            trainDiscriminator(pixels);
        }
    }

    @Override
    public NDArray loss(Step step) {
        // A fresh discriminator (new run or new stage) first learns for a few updates: the
        // gradients of an untrained one are noise.
        if (step.iteration() < startIteration || updatesThisStage < WARMUP_UPDATES) {
            return null;
        }
        // Under controls the crops are placed by masks in the un-jittered frame, so they come from the
        // pixels before augmentation; without controls from the augmented batch, as the method has it.
        NDArray source = step.regions() == null ? step.image() : step.frame();
        NDArray total = null;
        int count = cropsPerLevel();
        for (Channel c : channels) {
            NDArray src = shrink(source, c.level);
            NDArray fake = CropSampler.crops(src, c.fake(src, disc.crop()), count, rng, false);
            NDArray l = c.disc.generatorLoss(fake);
            if (c.weight != 1f) {
                l = Scalars.mul(l, c.weight);
            }
            total = total == null ? l : total.add(l);
        }
        return total;
    }

    /**
     * One update of every discriminator against the current samples (detached). D sees about
     * {@code discCrops} fake crops per update however many samples there are (at least one per
     * sample) and as many real ones: with 4 samples, 4 + 4 crops instead of 16 + 16 cut D's
     * share of a 224 px iteration from ~40% to ~15% (bench), and D is shared by the samples anyway.
     */
    void trainDiscriminator(NDArray samples) {
        float sum = 0;
        int n = (int) samples.getShape().get(0);
        int perSample = Math.max(1, cropsPerLevel() / n);
        for (Channel c : channels) {
            NDArray real;
            NDArray fake;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                real = CropSampler.crops(c.real, c.realCrops, perSample * n, rng, true);
                NDArray src = shrink(samples.stopGradient(), c.level);
                fake = CropSampler.crops(src, c.fake(src, disc.crop()), perSample, rng, true);
                NDScope.unregister(real, fake);
            }
            try {
                // Not inside a scope: the optimizer keeps state arrays it creates on the first update.
                sum += c.disc.train(real, fake);
            } finally {
                real.close();
                fake.close();
            }
        }
        lastDiscLoss = sum / channels.size();
        updatesThisStage++;
    }

    /** Discriminator updates skipped over the whole run (non-finite loss or gradient). */
    @Override
    public int skippedUpdates() {
        int n = skippedBefore;
        for (PatchDiscriminator d : discriminators()) {
            n += d.skippedUpdates();
        }
        return n;
    }

    /** Each discriminator once (the pyramid's levels share one). */
    private java.util.Set<PatchDiscriminator> discriminators() {
        java.util.Set<PatchDiscriminator> ds = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        channels.forEach(c -> ds.add(c.disc));
        return ds;
    }

    /** The discriminator's own loss at its last update, as "disc", once it has trained. */
    @Override
    public Map<String, Double> diagnostics() {
        return Float.isNaN(lastDiscLoss) ? Map.of() : Map.of("disc", (double) lastDiscLoss);
    }

    private void closeChannels() {
        for (PatchDiscriminator d : discriminators()) {
            skippedBefore += d.skippedUpdates();
            d.close();
        }
        channels.clear();
    }

    @Override
    public void close() {
        closeChannels();
    }
}
