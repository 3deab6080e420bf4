package imagine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import imagine.model.Features;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every objective term's autograd gradient agrees with central finite differences, on a tiny
 * float64 input: along random directions (covers every pixel) and at the pixels of largest
 * gradient. Float64 lets the step be small enough that kinks (|x|, leaky ReLU) are not crossed.
 */
class GradientCheckTest {

    static NDManager manager;
    static ToyBackbone toy;
    static final int N = 2;
    static final int S = 14;

    @BeforeAll
    static void setUp() {
        imagine.model.Engines.pytorch();
        manager = NDManager.newBaseManager(Device.cpu());
        toy = new ToyBackbone(3);
    }

    @AfterAll
    static void tearDown() {
        toy.close();
        manager.close();
    }

    static NDArray randomImage(long seed, int n, int s) {
        Random r = new Random(seed);
        double[] a = new double[n * 3 * s * s];
        for (int i = 0; i < a.length; i++) {
            a[i] = 0.2 + 0.6 * r.nextDouble();
        }
        return manager.create(a, new Shape(n, 3, s, s));
    }

    /** Loss of a term on x, through the toy backbone. */
    static Function<NDArray, NDArray> termLoss(LossTerm term) {
        return x -> {
            Features f = toy.forward(x, term.taps());
            return term.loss(new Step(x, f, 10, 20));
        };
    }

    static void check(String name, Function<NDArray, NDArray> f, NDArray x0) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        double[] grad;
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = f.apply(x);
            gc.backward(loss);
        }
        grad = x.getGradient().toDoubleArray();
        double[] base = x0.toDoubleArray();
        double eps = 1e-6;
        Random r = new Random(7);
        // Directional derivatives along random directions.
        for (int k = 0; k < 3; k++) {
            double[] d = new double[base.length];
            double dot = 0;
            for (int i = 0; i < d.length; i++) {
                d[i] = r.nextGaussian();
                dot += d[i] * grad[i];
            }
            double numeric = (eval(f, base, d, eps, x0.getShape()) - eval(f, base, d, -eps, x0.getShape())) / (2 * eps);
            assertClose(name + " direction " + k, dot, numeric);
        }
        // The five largest partial derivatives.
        Integer[] idx = new Integer[grad.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(Math.abs(grad[b]), Math.abs(grad[a])));
        assertTrue(Math.abs(grad[idx[0]]) > 0, name + ": gradient is identically zero");
        for (int k = 0; k < 5; k++) {
            double[] d = new double[base.length];
            d[idx[k]] = 1;
            double numeric = (eval(f, base, d, eps, x0.getShape()) - eval(f, base, d, -eps, x0.getShape())) / (2 * eps);
            assertClose(name + " pixel " + idx[k], grad[idx[k]], numeric);
        }
    }

    static void assertClose(String what, double analytic, double numeric) {
        double tol = 1e-4 * Math.max(Math.abs(analytic), Math.abs(numeric)) + 1e-7;
        assertEquals(numeric, analytic, tol, what + ": autograd " + analytic + " vs finite differences " + numeric);
    }

    static double eval(Function<NDArray, NDArray> f, double[] base, double[] d, double eps, Shape shape) {
        double[] p = new double[base.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = base[i] + eps * d[i];
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(p, shape);
            return f.apply(x).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
        }
    }

    @Test
    void classLoss() {
        check("class", termLoss(new ClassLoss(2)), randomImage(1, N, S));
    }

    @Test
    void totalVariationL2() {
        check("tv_l2", termLoss(TotalVariation.l2()), randomImage(2, N, S));
    }

    @Test
    void totalVariationL1() {
        check("tv_l1", termLoss(TotalVariation.l1()), randomImage(3, N, S));
    }

    @Test
    void l2Prior() {
        check("l2", termLoss(new L2Prior()), randomImage(4, N, S));
    }

    @Test
    void featureMatching() {
        FeatureMatching fm = new FeatureMatching(List.of("c1", "c2"), List.of(2.0, 1.0), manager);
        NDArray ref = randomImage(5, 1, 20);
        fm.prepare(new Reference(ref, toy.forward(ref, fm.taps())));
        check("features", termLoss(fm), randomImage(6, N, S));
    }

    @Test
    void patchAdversarialThroughDiscriminator() {
        try (PatchDiscriminator d = new PatchDiscriminator(manager, 8, 3, 1e-3, 0.5, 11, ai.djl.ndarray.types.DataType.FLOAT64)) {
            // Spectral norm estimates settle first; the check then holds them fixed (update=false).
            NDArray warm = randomImage(8, 1, S);
            for (int i = 0; i < 5; i++) {
                d.score(warm, true);
            }
            check("adversarial", d::generatorLoss, randomImage(9, N, S));
        }
    }

    @Test
    void objectiveSumsWeightedTerms() {
        Objective o = Objective.of(TotalVariation.l2(), 2.0).plus(new L2Prior(), 0.5).plus(TotalVariation.l1(), 0);
        NDArray x = randomImage(10, N, S);
        Features f = toy.forward(x, Set.of());
        var values = new HashMap<String, NDArray>();
        double total = o.evaluate(new Step(x, f, 0, 1), values).getDouble();
        double tv = TotalVariation.l2().loss(new Step(x, f, 0, 1)).getDouble();
        double l2 = new L2Prior().loss(new Step(x, f, 0, 1)).getDouble();
        assertEquals(2 * tv + 0.5 * l2, total, 1e-9 * Math.abs(total));
        assertEquals(Set.of("tv_l2", "l2"), values.keySet(), "a zero-weight term is not evaluated");
        check("objective", xx -> o.evaluate(new Step(xx, toy.forward(xx, Set.of()), 0, 1), new HashMap<>()), x);
    }
}
