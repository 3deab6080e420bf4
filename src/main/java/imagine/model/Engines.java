package imagine.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Starts DJL's PyTorch engine the way this product needs it: offline (weights and libtorch come
 * from the jars and the model folder, never from a download), with tracking off, and from the
 * plugin's own class loader so the engine is found inside ImageJ.
 */
public final class Engines {

    private static volatile String lastError;

    private Engines() {}

    /** The last failure to start the native engine in this process, or null. */
    public static String lastError() {
        return lastError;
    }

    /** Idempotent; returns the engine. Throws ModelException with a readable message on failure. */
    public static synchronized Engine pytorch() {
        defaultProperty("ai.djl.offline", "true");
        defaultProperty("OPT_OUT_TRACKING", "true");
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
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            lastError = e.toString();
            throw new ModelException("The PyTorch engine could not start: " + e.getMessage() + ". " + advice(e), e);
        } finally {
            t.setContextClassLoader(old);
        }
    }

    /** "auto" picks the first GPU when DJL finds one, else the CPU; "gpu" without one is an error. */
    public static Device device(String preference) {
        Engine e = pytorch();
        String p = preference == null ? "auto" : preference.trim().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (e.getGpuCount() == 0) {
                    throw new ModelException("No GPU was found by the PyTorch engine. Use --device cpu, or install the "
                            + "CUDA build of pytorch-native matching your driver.");
                }
                yield Device.gpu();
            }
            case "auto" -> e.getGpuCount() > 0 && usable(Device.gpu()) ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("Unknown device '" + preference + "'; use auto, cpu or gpu.");
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
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(d)) {
            m.ones(new ai.djl.ndarray.types.Shape(2)).add(1).toFloatArray();
            return true;
        } catch (RuntimeException | UnsatisfiedLinkError err) {
            lastError = "GPU " + d + " unusable, using the CPU: " + err + ". " + advice(err);
            return false;
        }
    }

    /**
     * Intra-op threads of the PyTorch engine (process-wide). With more than one, some CPU kernels
     * accumulate in a timing-dependent order: a run is then reproducible only in most cases;
     * with one thread it is bit-exact.
     */
    public static void setThreads(int n) {
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("threads must be between 1 and 1024, got " + n + ".");
        }
        pytorch();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(n);
    }

    public static int threads() {
        pytorch();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
