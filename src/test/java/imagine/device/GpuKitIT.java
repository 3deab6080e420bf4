package imagine.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import imagine.TestModels;
import imagine.TestTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU check kit (src/device) as far as a machine without a GPU can take it: the kit builds
 * under its size limit without any libtorch in it; its own Java runtime runs the command line
 * with DJL's CPU libtorch (doctor, classify, a tiny synthesis); and its bridge step compiles DJL's
 * JNI sources against another libtorch (Debian's 1.13, with its CMake files) and DJL then runs
 * that libtorch through it - the same build and load steps the GPU machine's PyTorch takes.
 */
class GpuKitIT {

    static final Path TORCH_CMAKE = Path.of("/usr/lib/x86_64-linux-gnu/cmake/Torch/TorchConfig.cmake");

    @Test
    void kitBuildsRunsItsCliAndBuildsTheBridgeAgainstAnotherLibtorch(@TempDir Path tmp) throws Exception {
        Path models = TestModels.modelsDir();
        Path kit = Path.of("target/gpu-kit").toAbsolutePath();
        // DJL's JNI sources: the copy beside the clone that the project's tests use.
        Path sources = Path.of("..", "shared", "vendor", "djl-pytorch-jni-src-0.36.0").toAbsolutePath().normalize();
        String build = run(tmp.resolve("build.log"), 300, Map.of("IMAGINE_DJL_SOURCES", sources.toString()), "bash",
                "src/device/build-kit.sh", models.toString());
        System.out.println(build);
        assertTrue(build.contains("total") && build.contains("MiB (limit 60 MiB)"), build);
        try (Stream<Path> files = Files.walk(kit)) {
            List<String> natives = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("pytorch-native.*\\.jar|lib(torch|c10).*\\.so.*")).toList();
            assertEquals(List.of(), natives, "no libtorch travels in the kit");
        }
        for (String part : List.of("runtime.tar.xz", "models.tar.xz", "app/imagine.jar", "gpu-check.sh", "chelsea.png",
                "djl/api/src/main/native/djl/utils.h", "djl/engines/pytorch/pytorch-native/CMakeLists.txt",
                "djl/engines/pytorch/pytorch-native/build/include/ai_djl_pytorch_jni_PyTorchLibrary.h")) {
            assertTrue(Files.isRegularFile(kit.resolve(part)), "kit holds " + part);
        }

        Map<String, String> env = Map.of("IMAGINE_KIT_WORK", tmp.resolve("work").toString());
        Path nativeJar;
        try (Stream<Path> lib = Files.list(Path.of("target/lib"))) {
            nativeJar = lib.filter(p -> p.getFileName().toString().startsWith("pytorch-native-cpu")).findFirst().orElseThrow();
        }
        String cpu = run(tmp.resolve("cpu.log"), 300, env, "bash", kit.resolve("gpu-check.sh").toString(),
                "--cpu-selftest", nativeJar.toAbsolutePath().toString(), tmp.resolve("cpu-out").toString());
        System.out.println(cpu);
        assertTrue(cpu.contains("CPU SELF-TEST PASSED"), cpu);
        assertTrue(Files.readString(tmp.resolve("cpu-out/doctor.log")).contains("java: 17"), "the kit's own runtime");

        TestTools.requireDebianLibtorch(TORCH_CMAKE);
        Map<String, String> debian = Map.of("IMAGINE_KIT_WORK", tmp.resolve("work").toString(),
                "IMAGINE_KIT_PYTHON", "none", "IMAGINE_KIT_TORCH_CMAKE", TORCH_CMAKE.getParent().getParent().toString(),
                "IMAGINE_KIT_TORCH_LIB", "/usr/lib/x86_64-linux-gnu", "IMAGINE_KIT_TORCH_VERSION", debianTorchVersion(),
                "IMAGINE_KIT_BRIDGE_WAYS", "cmake");
        String bridge = run(tmp.resolve("bridge.log"), 900, debian, "bash", kit.resolve("gpu-check.sh").toString(),
                "--bridge-only", tmp.resolve("bridge-out").toString());
        System.out.println(bridge);
        assertTrue(bridge.contains("BRIDGE CHECK PASSED"), bridge);
        String doctor = Files.readString(tmp.resolve("bridge-out/doctor.log"));
        assertTrue(doctor.contains("engine: PyTorch " + debianTorchVersion()), doctor);

        // The Fiji route: a launcher that starts "Fiji" (here a stand-in that runs doctor with the
        // plugin's jars and no libtorch jar) on that libtorch, through the bridge kept for it.
        Path fiji = Files.createDirectories(tmp.resolve("Fiji.app"));
        String cp;
        try (Stream<Path> lib = Files.list(Path.of("target/lib"))) {
            cp = Stream.concat(Stream.of(Path.of("target/imagine.jar")), lib.filter(p -> !p.getFileName().toString()
                    .startsWith("pytorch-native"))).map(p -> p.toAbsolutePath().toString())
                    .collect(java.util.stream.Collectors.joining(":"));
        }
        Path standIn = fiji.resolve("ImageJ-linux64");
        Files.writeString(standIn, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + cp + "' imagine.cli.Main doctor --models-dir '" + models.toAbsolutePath() + "'\n");
        standIn.toFile().setExecutable(true);
        Map<String, String> fijiEnv = new java.util.HashMap<>(debian);
        fijiEnv.put("IMAGINE_FIJI_DJL_CACHE", tmp.resolve("djl-gpu").toString());
        String written = run(tmp.resolve("fiji.log"), 300, fijiEnv, "bash", kit.resolve("gpu-check.sh").toString(),
                "--fiji", fiji.toString(), tmp.resolve("fiji-out").toString());
        assertTrue(written.contains("Fiji launcher written"), written);
        String started = run(tmp.resolve("fiji-start.log"), 120, Map.of(), fiji.resolve("ImageJ-imagine-gpu.sh").toString());
        assertTrue(started.contains("engine: PyTorch " + debianTorchVersion()), started);
        assertTrue(started.contains("djl_cache_dir: " + tmp.resolve("djl-gpu")), started);
    }

    /** Debian's libtorch version, from its CMake version file (1.13.1 on bookworm). */
    static String debianTorchVersion() throws IOException {
        String text = Files.readString(TORCH_CMAKE.resolveSibling("TorchConfigVersion.cmake"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("PACKAGE_VERSION \"([0-9.]+)\"").matcher(text);
        return m.find() ? m.group(1) : "1.13.1";
    }

    static String run(Path log, long seconds, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " ran past " + seconds + " s:\n" + Files.readString(log));
        }
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
