package imagine.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Engine start failures say what to do: a CUDA/driver mismatch differently from a missing jar. */
class EnginesTest {

    @Test
    void cudaMismatchPointsAtTheDriver() {
        String a = Engines.advice(new UnsatisfiedLinkError("libcudart.so.12: cannot open shared object file"));
        assertTrue(a.contains("driver") && a.contains("pytorch-native-cpu"), a);
        String b = Engines.advice(new IllegalStateException("CUDA driver version is insufficient for CUDA runtime version"));
        assertTrue(b.contains("driver 550"), b);
    }

    @Test
    void otherFailuresPointAtTheNativeJar() {
        String a = Engines.advice(new UnsatisfiedLinkError("no djl_torch in java.library.path"));
        assertTrue(a.contains("pytorch-native jar"), a);
    }

    @Test
    void theCpuIsUsable() {
        assertTrue(Engines.usable(ai.djl.Device.cpu()));
    }
}
