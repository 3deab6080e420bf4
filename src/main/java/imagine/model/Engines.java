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
            throw new ModelException("The PyTorch engine could not start: " + e.getMessage()
                    + ". Check that the pytorch-native jar for this platform is installed.", e);
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
            case "auto" -> e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("Unknown device '" + preference + "'; use auto, cpu or gpu.");
        };
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
