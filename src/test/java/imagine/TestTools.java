package imagine;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;

/**
 * System tools some tests need (Debian packages; the build installs them before the tests when it
 * runs as root or with password-less sudo: src/test/sh/provision-test-tools.sh). As with the
 * models: missing under CI=true is a failure, elsewhere the test is skipped with the same advice.
 */
public final class TestTools {

    private TestTools() {}

    /** xvfb-run and xauth, for the tests that start real ImageJ windows. */
    public static void requireXvfb() {
        require(new File("/usr/bin/xvfb-run").canExecute() && new File("/usr/bin/xauth").canExecute(),
                "xvfb-run or xauth is missing (a virtual display for the ImageJ tests): sudo apt-get install xvfb xauth");
    }

    static void require(boolean present, String advice) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(advice);
        }
        assumeTrue(false, advice);
    }

    /**
     * The real ImageJ updater the project keeps beside the models ({@code ../shared/tools/imagej-updater},
     * or {@code -Dimagine.updater=DIR}); returns its updater.sh.
     */
    public static java.nio.file.Path updater() {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("imagine.updater", "../shared/tools/imagej-updater"));
        java.nio.file.Path sh = dir.resolve("updater.sh").toAbsolutePath().normalize();
        require(java.nio.file.Files.isRegularFile(sh), "the ImageJ updater is missing: expected " + sh
                + " (the headless updater of ../shared/tools/imagej-updater)");
        return sh;
    }

    /** Debian's libtorch with its CMake files, cmake and g++, for the GPU check kit's bridge build. */
    public static void requireDebianLibtorch(java.nio.file.Path torchConfig) {
        require(java.nio.file.Files.isRegularFile(torchConfig) && new File("/usr/bin/cmake").canExecute()
                        && new File("/usr/bin/g++").canExecute(),
                "Debian's libtorch-dev, cmake or g++ is missing (the GPU kit's bridge test builds against them): "
                        + "sudo apt-get install libtorch-dev cmake g++");
    }

    /** Debian's python3 with torch and torchvision, for the ResNet-50 equivalence test. */
    public static void requireTorchvision(boolean present) {
        require(present, "python3-torch and python3-torchvision are missing (the ResNet-50 test compares with "
                + "torchvision): sudo apt-get install python3-torch python3-torchvision");
    }

    /**
     * Frees what the garbage collector can free (direct buffers go after the collection, on the
     * reference handler's thread, hence the pause), then writes 1e30 into many small fresh native
     * blocks: memory that something still read after it was freed now reads as garbage.
     */
    public static void collectAndScribble() {
        System.gc();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        java.util.List<java.nio.ByteBuffer> keep = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            keep.add(java.nio.ByteBuffer.allocateDirect(4 + (i % 4) * 4).putFloat(0, 1e30f));
        }
        keep.clear();
    }
}
