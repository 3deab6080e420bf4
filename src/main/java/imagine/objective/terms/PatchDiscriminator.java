package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import imagine.model.Engines;
import imagine.model.Grads;
import imagine.objective.GradientGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The on-the-fly patch discriminator of R_pc: a small fully convolutional network (3x3 valid
 * convolutions, leaky ReLU), receptive field 2*layers+1 pixels, that scores every patch. It is
 * trained with the hinge loss and spectral normalization (Miyato et al. 2018), which bounds its
 * Lipschitz constant without the second-order gradients a WGAN gradient penalty needs: on the
 * CPU that penalty alone costs more than the classifier pass. Created fresh for each run.
 */
public final class PatchDiscriminator implements AutoCloseable {

    private final NDManager manager;
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> biases = new ArrayList<>();
    /** Power-iteration vectors of spectral normalization, one per layer (no gradient). */
    private final List<NDArray> u = new ArrayList<>();
    private final Optimizer optimizer;
    private int skipped;
    /**
     * Judges each update's mean gradient magnitude. The floor: saturated hinges give zero gradients,
     * after which real ones return (measured over two default runs: 5e-5 to 0.043 per update).
     */
    private final GradientGuard gradients = new GradientGuard(1e-3);

    public PatchDiscriminator(NDManager parent, int width, int layers, double lr, double beta1, long seed) {
        this(parent, width, layers, lr, beta1, seed, DataType.FLOAT32);
    }

    /** With weights of another type (float64 for gradient checks). */
    public PatchDiscriminator(NDManager parent, int width, int layers, double lr, double beta1, long seed, DataType type) {
        manager = parent.newSubManager();
        Random rng = new Random(seed);
        int in = 3;
        for (int l = 0; l < layers; l++) {
            int out = l == layers - 1 ? 1 : width;
            float[] w = new float[out * in * 9];
            double std = Math.sqrt(2.0 / (in * 9));
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (rng.nextGaussian() * std);
            }
            NDArray wa = manager.create(w, new Shape(out, in, 3, 3)).toType(type, false);
            wa.setRequiresGradient(true);
            NDArray ba = manager.zeros(new Shape(out), type);
            ba.setRequiresGradient(true);
            weights.add(wa);
            biases.add(ba);
            float[] u0 = new float[out];
            for (int i = 0; i < out; i++) {
                u0[i] = (float) rng.nextGaussian();
            }
            NDArray ua = manager.create(u0).toType(type, false);
            u.add(ua.div(ua.norm().add(1e-12f)));
            ua.close();
            in = out;
        }
        optimizer = Adam.builder().optLearningRateTracker(Tracker.fixed((float) lr)).optBeta1((float) beta1).build();
    }

    public int receptiveField() {
        return 2 * weights.size() + 1;
    }

    /**
     * Patch scores (N, 1, h-2L, w-2L). Gradients flow to the input and, in a collector, to the
     * weights. With {@code updateNorm} the spectral-norm power iteration advances one step.
     */
    public NDArray score(NDArray x, boolean updateNorm) {
        NDArray h = x;
        for (int l = 0; l < weights.size(); l++) {
            NDArray w = normalized(l, updateNorm);
            h = Conv2d.conv2d(h, w, biases.get(l)).singletonOrThrow();
            if (l < weights.size() - 1) {
                h = Activation.leakyRelu(h, 0.2f);
            }
        }
        return h;
    }

    private NDArray normalized(int l, boolean update) {
        NDArray w = weights.get(l);
        long out = w.getShape().get(0);
        NDArray mat = w.reshape(out, -1);
        NDArray ul = u.get(l);
        if (update) {
            // One power-iteration step on detached weights, as in the reference implementation.
            NDArray m = mat.stopGradient();
            NDArray v = m.transpose().matMul(ul.expandDims(1)).squeeze(1);
            v = v.div(v.norm().add(1e-12f));
            NDArray nu = m.matMul(v.expandDims(1)).squeeze(1);
            nu = nu.div(nu.norm().add(1e-12f));
            // Survives the caller's NDScope: it is state carried to the next update.
            NDScope.unregister(nu);
            nu.attach(manager);
            ul.close();
            u.set(l, nu);
            ul = nu;
        }
        NDArray ud = ul.expandDims(0);
        // sigma = u^T W v with v = W^T u / |W^T u|, i.e. |W^T u|; gradient flows through W only.
        NDArray wtU = ud.matMul(mat);
        NDArray sigma = wtU.norm();
        return w.div(sigma.add(1e-12f));
    }

    /**
     * One hinge-loss update on a batch of real and fake patches (fake must be detached).
     * Returns the discriminator loss before the update.
     */
    public float train(NDArray real, NDArray fake) {
        for (NDArray p : parameters()) {
            Grads.zero(p);
        }
        float value;
        // Every temporary of the pass is closed with the scope; gradients stay on the weights.
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engines.pytorch().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            NDArray lossReal = Activation.relu(score(real, true).neg().add(1f)).mean();
            NDArray lossFake = Activation.relu(score(fake, false).add(1f)).mean();
            NDArray loss = lossReal.add(lossFake);
            gc.backward(loss);
            value = loss.getFloat();
        }
        // Outside the scope: Adam creates its state arrays on the first update and keeps them.
        List<NDArray> grads = new ArrayList<>();
        double magnitude = 0;
        long count = 0;
        for (NDArray p : parameters()) {
            NDArray g = p.getGradient();
            grads.add(g);
            try (NDArray a = g.abs(); NDArray s = a.sum()) {
                magnitude += s.getFloat();
            }
            count += g.size();
        }
        // A non-finite loss, or a non-finite or absurd gradient (see GradientGuard), is skipped: one
        // bad batch must not destroy the discriminator.
        if (Float.isFinite(value) && gradients.accept(magnitude / count)) {
            int i = 0;
            for (NDArray p : parameters()) {
                optimizer.update("d" + i, p, grads.get(i));
                i++;
            }
        } else {
            skipped++;
        }
        grads.forEach(NDArray::close);
        return value;
    }

    /** The loss the image minimizes: -mean D(x) over its patches (R_pc = -D(x)). */
    public NDArray generatorLoss(NDArray fake) {
        return score(fake, false).mean().neg();
    }

    /** Updates skipped because of a non-finite loss or a non-finite or absurd gradient. */
    public int skippedUpdates() {
        return skipped;
    }

    List<NDArray> parameters() {
        List<NDArray> p = new ArrayList<>(weights);
        p.addAll(biases);
        return p;
    }

    @Override
    public void close() {
        manager.close();
    }
}
