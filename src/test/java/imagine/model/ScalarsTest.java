package imagine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import imagine.TestTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Arithmetic with Java numbers survives a garbage collection between the forward and the backward
 * pass. DJL's own {@code mul(Number)} etc. wrap the number in memory libtorch does not own; with
 * those, this test fails (measured: wrong gradients in every try, e.g. -3.1e31 for 2.5).
 */
class ScalarsTest {

    static NDManager manager;

    @BeforeAll
    static void setUp() {
        Engines.pytorch();
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    static Stream<Arguments> ops() {
        float[] x = {0.5f, 1.5f, 2.5f, 3.5f};
        return Stream.of(
                Arguments.of("mul 2.5", (BiFunction<NDArray, Double, NDArray>) Scalars::mul, 2.5,
                        new float[] {2.5f, 2.5f, 2.5f, 2.5f}),
                Arguments.of("div 4", (BiFunction<NDArray, Double, NDArray>) Scalars::div, 4.0,
                        new float[] {0.25f, 0.25f, 0.25f, 0.25f}),
                Arguments.of("pow 2", (BiFunction<NDArray, Double, NDArray>) Scalars::pow, 2.0,
                        new float[] {2 * x[0], 2 * x[1], 2 * x[2], 2 * x[3]}),
                Arguments.of("maximum 2", (BiFunction<NDArray, Double, NDArray>) Scalars::maximum, 2.0,
                        new float[] {0, 0, 1, 1}),
                Arguments.of("minimum 2", (BiFunction<NDArray, Double, NDArray>) Scalars::minimum, 2.0,
                        new float[] {1, 1, 0, 0}),
                Arguments.of("clip 1..3", (BiFunction<NDArray, Double, NDArray>) (a, v) -> Scalars.clip(a, 1, v), 3.0,
                        new float[] {0, 1, 1, 0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ops")
    void gradientSurvivesAGarbageCollectionBeforeBackward(String name, BiFunction<NDArray, Double, NDArray> op,
            double value, float[] expected) {
        for (int attempt = 0; attempt < 6; attempt++) {
            try (NDManager m = manager.newSubManager()) {
                NDArray x = m.create(new float[] {0.5f, 1.5f, 2.5f, 3.5f});
                x.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = op.apply(x, value).sum();
                    TestTools.collectAndScribble();
                    gc.backward(y);
                }
                assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-6f, name + ", try " + attempt);
            }
        }
    }

    @Test
    void scalarHasTheArraysTypeAndIsOwnedByItsManager() {
        try (NDManager m = manager.newSubManager()) {
            NDArray d = m.create(new double[] {1, 2});
            NDArray s = Scalars.of(d, 0.5);
            assertEquals(d.getDataType(), s.getDataType(), "a float64 array gets a float64 scalar, no promotion");
            assertEquals(new Shape(), s.getShape());
            assertEquals(0.5, s.getDouble());
        }
    }

    @Test
    void clipLeavesNothingBehindAndHandsItsResultToTheScope() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(new float[] {-1, 0.5f, 2});
            int before = m.getManagedArrays().size();
            NDArray r;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                r = Scalars.clip(x, 0, 1);
                assertArrayEquals(new float[] {0, 0.5f, 1}, r.toFloatArray());
                assertEquals(before + 1, m.getManagedArrays().size(), "only the result is new in the manager");
            }
            assertTrue(r.isReleased(), "the caller's scope closed the result, as it would any op's result");
        }
    }

    /**
     * The forms a person would type to reintroduce the fault: a literal or a cast number handed to
     * mul, div, pow, maximum, minimum or clip on an array, anywhere in the main sources. (A float
     * variable cannot be told from an array by a pattern; Scalars' javadoc says why it exists.)
     */
    @Test
    void noNumberLiteralReachesAGraphOpInTheSources() throws IOException {
        Pattern bad = Pattern.compile("\\.(mul|div|pow|maximum|minimum|clip|muli|divi|powi)\\(\\s*(\\((float|double|int|long)\\)|-?[0-9])");
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher mt = bad.matcher(lines.get(i));
                    if (mt.find() && !p.endsWith("Scalars.java")) {
                        hits.add(p + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertTrue(hits.isEmpty(), "use imagine.model.Scalars for arithmetic with a number: " + hits);
    }
}
