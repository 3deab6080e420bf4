package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.Random;

/**
 * R_pc, patch consistency: -D(x) with D a {@link PatchDiscriminator} trained on the fly to tell
 * patches of the reference from patches of the samples. To keep the cost independent of the
 * image size, D sees random square crops rather than the whole frame (it is fully
 * convolutional, so a crop is just fewer patches). Acts on the image from {@code startIteration};
 * D starts learning a little earlier so its first gradients are meaningful.
 */
public final class PatchAdversarial implements LossTerm {

    private final ImagineConfig config;
    private final NDManager manager;
    private final Random rng;
    private PatchDiscriminator disc;
    private NDArray reference;
    private float lastDiscLoss = Float.NaN;
    private long stageSeed;
    private int skippedBefore;
    private int updatesThisStage;

    /** Discriminator updates before its gradient reaches the image. */
    static final int WARMUP_UPDATES = 10;

    public PatchAdversarial(ImagineConfig config, NDManager manager, long seed) {
        this.config = config;
        this.manager = manager;
        this.rng = new Random(seed ^ 0x5DEECE66DL);
        this.stageSeed = seed;
    }

    @Override
    public String name() {
        return "adversarial";
    }

    /** A fresh discriminator per stage: patches at another scale are another distribution. */
    @Override
    public void prepare(Reference ref) {
        if (disc != null) {
            skippedBefore += disc.skippedUpdates();
            disc.close();
        }
        disc = new PatchDiscriminator(manager, config.discWidth, config.discLayers, config.discLearningRate,
                config.discBeta1, stageSeed++);
        reference = ref.image();
        updatesThisStage = 0;
    }

    public int startIteration() {
        return config.adversarialStartIteration();
    }

    /** Whether D trains at this iteration (from shortly before the term starts, every discEvery steps). */
    public boolean trainsAt(int iteration, int stageStart) {
        int from = Math.max(stageStart, startIteration() - 50);
        return iteration >= from && (iteration - from) % config.discEvery == 0;
    }

    @Override
    public NDArray loss(Step step) {
        // A fresh discriminator (new run or new stage) first learns for a few updates: the
        // gradients of an untrained one are noise.
        if (step.iteration() < startIteration() || updatesThisStage < WARMUP_UPDATES) {
            return null;
        }
        NDArray fake = Augmentation.crops(step.image(), config.discCrop, config.discCrops, rng, false);
        return disc.generatorLoss(fake);
    }

    /** One discriminator update against the current samples (detached). */
    public void trainDiscriminator(NDArray samples) {
        NDArray real;
        NDArray fake;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            real = Augmentation.crops(reference, config.discCrop, config.discCrops * (int) samples.getShape().get(0), rng,
                    true);
            fake = Augmentation.crops(samples.stopGradient(), config.discCrop, config.discCrops, rng, true);
            NDScope.unregister(real, fake);
        }
        try {
            // Not inside a scope: the optimizer keeps state arrays it creates on the first update.
            lastDiscLoss = disc.train(real, fake);
            updatesThisStage++;
        } finally {
            real.close();
            fake.close();
        }
    }

    /** Discriminator updates skipped over the whole run (non-finite loss or gradient). */
    public int skippedUpdates() {
        return skippedBefore + (disc == null ? 0 : disc.skippedUpdates());
    }

    public float lastDiscriminatorLoss() {
        return lastDiscLoss;
    }

    public void close() {
        if (disc != null) {
            skippedBefore += disc.skippedUpdates();
            disc.close();
            disc = null;
        }
    }
}
