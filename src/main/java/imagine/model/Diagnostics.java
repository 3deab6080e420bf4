package imagine.model;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What users and support need when the engine or a model misbehaves: versions, devices, the
 * native library and cache folders, the settings DJL reads, the models found, and the last native
 * error. Shared by the command line and the ImageJ settings command.
 */
public final class Diagnostics {

    private Diagnostics() {}

    public static Map<String, String> collect(Path modelsFolder) {
        Map<String, String> m = new LinkedHashMap<>();
        String v = Diagnostics.class.getPackage().getImplementationVersion();
        m.put("imagine", v == null ? "development build" : v);
        m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        try {
            Engine e = Engines.pytorch(); // first: it sets up the class loader DJL's lookup needs
            m.put("djl", Engine.getDjlVersion());
            m.put("engine", e.getEngineName() + " " + e.getVersion());
            m.put("gpus", Integer.toString(e.getGpuCount()));
            m.put("default_device", Engines.device("auto").toString());
            m.put("threads", Integer.toString(Engines.threads()));
        } catch (RuntimeException e) {
            m.put("engine", "FAILED: " + e.getMessage());
        }
        m.put("engine_cache_dir", String.valueOf(Utils.getEngineCacheDir()));
        m.put("djl_cache_dir", String.valueOf(Utils.getCacheDir()));
        for (String k : new String[] {"PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR", "ai.djl.offline",
            "OPT_OUT_TRACKING"}) {
            m.put(k, String.valueOf(Utils.getEnvOrSystemProperty(k)));
        }
        ModelStore store = ModelStore.configured(modelsFolder);
        m.put("models_folder", store.modelsDir() + (Files.isDirectory(store.modelsDir()) ? "" : " (missing)"));
        m.put("user_cache", ModelStore.defaultCache().toString());
        m.put("installed_models", ModelStore.installedFolder().map(Path::toString).orElse("(not an installed plugin)"));
        m.put("downloads", ModelDownloader.online() ? "on" : "off (offline; -Dai.djl.offline=false turns them on)");
        for (ModelSpec s : ModelSpec.known()) {
            m.put("model " + s.id(), ModelDownloader.status(s.id(), store.modelsDir().resolve(s.id())) + "; " + s.licence()
                    + "; from " + s.source());
        }
        m.put("last_native_error", Engines.lastError() == null ? "none" : Engines.lastError());
        return m;
    }

    /** What is wrong with the installed models of the folder, one line each (empty: nothing). */
    public static java.util.List<String> problems(Path modelsFolder) {
        ModelStore store = ModelStore.configured(modelsFolder);
        java.util.List<String> out = new java.util.ArrayList<>();
        Path dir = store.modelsDir();
        if (!Files.isDirectory(dir)) {
            out.add("the models folder " + dir + (Files.exists(dir) ? " is a file, not a folder" : " does not exist")
                    + ": point --models-dir (or IMAGINE_MODELS) at the folder that holds the model folders.");
            return out;
        }
        if (ModelSpec.known().stream().noneMatch(s -> store.isInstalled(s.id()))) {
            out.add("no model is installed in " + dir + ": put " + ModelSpec.DEFAULT_ID + "/model.json and its weight files "
                    + "there (docs/models.md).");
        }
        for (ModelSpec s : ModelSpec.known()) {
            out.addAll(store.problems(s.id()));
        }
        return out;
    }

    public static String report(Path modelsFolder) {
        StringBuilder sb = new StringBuilder();
        collect(modelsFolder).forEach((k, val) -> sb.append(k).append(": ").append(val).append('\n'));
        return sb.toString();
    }
}
