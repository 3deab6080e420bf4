package imagine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import imagine.UserInputException;
import java.util.Locale;

/**
 * Starts DJL's PyTorch engine the way this product needs it: from the plugin's own class loader
 * so the engine is found inside ImageJ, and always by name (never DJL's "default engine" lookup,
 * which is where DJL would probe a cloud metadata address unless tracking is opted out). It
 * changes no JVM-wide setting: inside Fiji other plugins use DJL too. The command line, which owns
 * its JVM, sets DJL's offline and tracking switches in its {@code main}.
 */
public final class Engines {

    private static volatile String lastError;
    private static volatile boolean started;

    private Engines() {}

    /** Where to compute, as a user chooses it. */
    public enum DeviceChoice {
        /** The first GPU when DJL finds one and a test computation runs on it; otherwise the CPU. */
        AUTO,
        CPU,
        /** A GPU, or an error saying how to get one working. */
        GPU;

        public static DeviceChoice parse(String s) {
            String p = s == null ? "auto" : s.trim().toLowerCase(Locale.ROOT);
            return switch (p) {
                case "auto" -> AUTO;
                case "cpu" -> CPU;
                case "gpu", "cuda" -> GPU;
                default -> throw new UserInputException("Unknown device '" + s + "'; use auto, cpu or gpu.");
            };
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether a backbone on {@code d} serves this choice (auto is served by any device). */
        public boolean accepts(Device d) {
            return this == AUTO || d.getDeviceType().equals(this == GPU ? Device.Type.GPU : Device.Type.CPU);
        }
    }

    /** The last failure to start the native engine in this process, or null. */
    public static String lastError() {
        return lastError;
    }

    /** Idempotent; returns the engine. Throws ModelException with a readable message on failure. */
    public static synchronized Engine pytorch() {
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(Engines.class.getClassLoader());
        try {
            // DJL looks engines up once, through the context class loader, when its Engine class
            // initializes; if that happened elsewhere first (inside ImageJ: the wrong loader),
            // register the PyTorch provider explicitly.
            if (!Engine.hasEngine("PyTorch")) {
                Engine.registerEngine(new ai.djl.pytorch.engine.PtEngineProvider());
            }
            if (!started) {
                NativeCache.check(); // before libtorch is unpacked and loaded from it
            }
            Engine e = Engine.getEngine("PyTorch");
            if (!started) {
                NativeCache.tighten();
            }
            started = true;
            return e;
        } catch (ModelException e) {
            lastError = e.getMessage();
            throw e;
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            lastError = e.toString();
            throw new ModelException("The PyTorch engine could not start: " + e.getMessage() + ". " + advice(e), e);
        } finally {
            t.setContextClassLoader(old);
        }
    }

    /** A device as people write it: "cpu", "gpu 0" (DJL's own form is "cpu()", "gpu(0)"). */
    public static String describe(Device d) {
        return d.isGpu() ? "gpu " + d.getDeviceId() : d.getDeviceType();
    }

    /** A new root memory scope on {@code device}, from the PyTorch engine. */
    public static NDManager newManager(Device device) {
        return pytorch().newBaseManager(device);
    }

    public static Device device(String choice) {
        return device(DeviceChoice.parse(choice));
    }

    /** The device for a choice; a GPU that is listed but cannot compute makes "auto" use the CPU. */
    public static Device device(DeviceChoice choice) {
        Engine e = pytorch();
        return switch (choice) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (e.getGpuCount() == 0) {
                    throw new ModelException("No GPU was found by the PyTorch engine. Use --device cpu, or install the "
                            + "CUDA build of pytorch-native matching your driver.");
                }
                yield Device.gpu();
            }
            case AUTO -> e.getGpuCount() > 0 && usable(Device.gpu()) ? Device.gpu() : Device.cpu();
        };
    }

    /** What to do about a failed start: a CUDA build that does not match the driver reads differently. */
    static String advice(Throwable e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("cuda") || m.contains("cudart") || m.contains("nvrtc") || m.contains("cudnn") || m.contains("driver")) {
            return "This looks like a CUDA build of libtorch (pytorch-native-cu124) that does not match this machine's "
                    + "NVIDIA driver (CUDA 12.4 needs driver 550 or newer): update the driver, or put "
                    + "pytorch-native-cpu back in place of the CUDA jar.";
        }
        return "Check that the pytorch-native jar for this platform is installed.";
    }

    /**
     * Whether a small computation runs on {@code d}: a GPU can be listed and still fail (driver
     * too old for the CUDA build, out of memory), and "auto" then falls back to the CPU, noting why
     * in {@link #lastError()}.
     */
    static boolean usable(Device d) {
        try (NDManager m = newManager(d)) {
            m.ones(new Shape(2)).add(1).toFloatArray();
            return true;
        } catch (RuntimeException | UnsatisfiedLinkError err) {
            lastError = "GPU " + d + " unusable, using the CPU: " + err + ". " + advice(err);
            return false;
        }
    }

    public static void checkThreads(int n) {
        // More threads than cores only make them wait for each other (1024 turned a 2 s classify into 29 s).
        int max = Math.max(4, 4 * Runtime.getRuntime().availableProcessors());
        if (n < 0 || n > max) {
            throw new UserInputException("threads must be between 1 and " + max + " on this machine (4 per core; 0 = all "
                    + "cores), got " + n + ".");
        }
    }

    /** Restores the calling thread's CPU thread count when closed; closing throws nothing. */
    public static final class ThreadScope implements AutoCloseable {
        private final int before;

        private ThreadScope(int before) {
            this.before = before;
        }

        @Override
        public void close() {
            JniUtils.setNumThreads(before);
        }
    }

    /**
     * Sets the CPU threads libtorch uses for work started from the calling thread until the scope
     * closes (0 leaves them as they are). Under libtorch's OpenMP build the setting belongs to the
     * thread that makes it, so a scope on a worker thread leaves other threads alone (checked: a
     * second thread setting 2 left the first at 1). One thread makes runs byte-identical on the
     * same machine (docs/command-line.md, seeds).
     */
    public static ThreadScope withThreads(int n) {
        checkThreads(n);
        pytorch();
        int before = JniUtils.getNumThreads();
        if (n > 0) { // 0 sets nothing, but what a CoreShare sets meanwhile is undone when the scope closes
            JniUtils.setNumThreads(n);
        }
        return new ThreadScope(before);
    }

    /** Sets the CPU threads libtorch uses for work started from the calling thread (inside a {@link ThreadScope}). */
    public static void setThreads(int n) {
        pytorch();
        JniUtils.setNumThreads(n);
    }

    /** CPU threads libtorch uses for work started from the calling thread. */
    public static int threads() {
        pytorch();
        return JniUtils.getNumThreads();
    }
}
