package imagine.model;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import imagine.UserInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds models on disk and loads them. A models folder holds one sub-folder per model id (as the
 * public TF.js copies are laid out). The folder comes from, in order: an explicit argument, the
 * system property {@value #MODELS_PROPERTY}, the environment variable {@value #MODELS_ENV}, and
 * the user cache {@code ~/.imagine/models}.
 */
public final class ModelStore {

    public static final String MODELS_PROPERTY = "imagine.models";
    public static final String MODELS_ENV = "IMAGINE_MODELS";

    private final Path modelsDir;

    public ModelStore(Path modelsDir) {
        this.modelsDir = modelsDir.toAbsolutePath().normalize();
    }

    /** The store for the configured folder (explicit folder wins when not null). */
    public static ModelStore configured(Path explicit) {
        return new ModelStore(explicit != null ? explicit : configuredFolder().orElse(defaultFolder()));
    }

    /**
     * Where models are found when nothing names a folder: the models that came with the plugin
     * (the Fiji update site installs the default model into {@code models/imagine} of the Fiji
     * folder), else the user cache {@code ~/.imagine/models}.
     */
    public static Path defaultFolder() {
        return installedFolder().filter(f -> Files.isRegularFile(f.resolve(ModelSpec.DEFAULT_ID).resolve("model.json")))
                .orElse(defaultCache());
    }

    /**
     * {@code models/imagine} of the installation this code runs from: the plugin jar lies in its
     * {@code plugins/} (or {@code jars/}) folder, one below the installation's root.
     */
    static Optional<Path> installedFolder() {
        try {
            java.security.CodeSource source = ModelStore.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path jar = Path.of(source.getLocation().toURI());
            if (!Files.isRegularFile(jar) || jar.getParent() == null || jar.getParent().getParent() == null) {
                return Optional.empty(); // classes in a folder (a build), not an installed jar
            }
            return Optional.of(jar.getParent().getParent().resolve("models").resolve("imagine"));
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The folder set by system property or environment, if any. */
    public static Optional<Path> configuredFolder() {
        String p = System.getProperty(MODELS_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(MODELS_ENV);
        }
        return p == null || p.isBlank() ? Optional.empty() : Optional.of(Path.of(p).toAbsolutePath().normalize());
    }

    public static Path defaultCache() {
        return Path.of(System.getProperty("user.home"), ".imagine", "models");
    }

    public Path modelsDir() {
        return modelsDir;
    }

    /** The catalog entry of {@code id}; an id outside the catalog is refused with the known ones. */
    public static ModelSpec spec(String id) {
        return ModelSpec.find(id).orElseThrow(() -> new ModelException("Unknown model '" + id + "'. Known models: "
                + String.join(", ", ModelSpec.known().stream().map(ModelSpec::id).toList()) + "."));
    }

    public Path folderOf(String id) {
        spec(id);
        if (!Files.isDirectory(modelsDir)) {
            throw new ModelException("The models folder " + modelsDir + " does not exist. Choose the folder that holds "
                    + id + "/model.json: in Fiji the Models folder field or IMAGINE Settings, on the command line "
                    + "--models-dir, or the " + MODELS_ENV + " environment variable or -D" + MODELS_PROPERTY + "=FOLDER.");
        }
        Path folder = modelsDir.resolve(id);
        ModelSpec spec = spec(id);
        BackboneFactory factory = Backbones.of(spec);
        if (!Files.isRegularFile(folder.resolve(spec.mainFile()))) {
            if (factory.downloadable() && ModelDownloader.online()) {
                // Downloads are opted into (-Dai.djl.offline=false): fetch the public copy, checked.
                new ModelDownloader(null, 30_000, m -> System.err.println("IMAGINE: " + m)).fetch(id, folder);
                return folder;
            }
            throw new ModelException(factory.missing(spec, folder));
        }
        return folder;
    }

    /** Reads and builds a backbone on {@code device}. */
    public Backbone load(String id, Device device) {
        ModelSpec spec = spec(id);
        Path folder = folderOf(id);
        WeightCheck.verify(id, folder); // a damaged or foreign file is refused, not used
        return build(id, folder, device);
    }

    /** Reads the model's files as {@link #build} does, without building (doctor's check). */
    private static void read(String id, Path folder) {
        ModelSpec spec = spec(id);
        Backbones.of(spec).read(spec, folder);
    }

    /**
     * Reads and builds without the checksum check: the readers' own defences (bounded JSON, paths
     * inside the folder, sizes, finite weights) for files no pin covers, tested through here.
     */
    Backbone build(String id, Path folder, Device device) {
        ModelSpec spec = spec(id);
        return Backbones.of(spec).build(spec, folder, readLabels(folder), device);
    }

    /** Every catalog model is an ImageNet-1k classifier: its head has this many classes. */
    public static final int IMAGENET_CLASSES = 1000;

    /**
     * The class labels: the ImageNet-1k names that ship with the plugin. A metadata.json beside the
     * model, where there is one, must list exactly those (every catalog model is an ImageNet-1k
     * classifier): labels shifted by one would name every class wrongly, in the samples' files and
     * in the user's results, so a file that differs is refused.
     */
    static List<String> readLabels(Path folder) {
        Path meta = folder.resolve("metadata.json");
        List<String> shipped = imagenetLabels();
        if (!Files.isRegularFile(meta)) {
            return shipped; // the public TF.js copies carry no labels
        }
        List<String> labels = new ArrayList<>();
        try {
            JsonArray arr = BoundedJson.parse(meta, 4L << 20).getAsJsonObject().getAsJsonArray("labels");
            for (JsonElement e : arr) {
                labels.add(e.getAsString());
            }
        } catch (IOException | RuntimeException e) {
            throw new ModelException("Cannot read the class labels in " + meta + " (" + BoundedJson.firstLine(e.getMessage())
                    + "). Delete the file (the ImageNet class names ship with the plugin) or replace it with a fresh copy.", e);
        }
        if (labels.size() != IMAGENET_CLASSES) {
            throw new ModelException(meta + " lists " + labels.size() + " class labels, but the model's head has "
                    + IMAGENET_CLASSES + " classes. Delete metadata.json (the ImageNet class names ship with the plugin) or "
                    + "replace it with a fresh copy.");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.get(i).equals(shipped.get(i))) {
                throw new ModelException(meta + " names class " + i + " '" + printable(labels.get(i)) + "' where ImageNet's "
                        + "class " + i + " is '" + shipped.get(i) + "': its labels would name the classes wrongly. Delete "
                        + "metadata.json (the ImageNet class names ship with the plugin) or replace it with a fresh copy.");
            }
        }
        return shipped;
    }

    /** {@code s} cut to 60 characters with control characters shown as '?', for a message about a foreign file. */
    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return t.replaceAll("[\\p{Cntrl}\\u0080-\\u009f]", "?");
    }

    /**
     * The ImageNet-1k class names that ship with the plugin (every catalog model is an ImageNet-1k
     * classifier), so a class can be chosen by name before any model loads.
     */
    public static List<String> imagenetLabels() {
        List<String> labels = LABELS;
        if (labels == null) {
            labels = loadLabels();
            LABELS = labels;
        }
        return labels;
    }

    private static volatile List<String> LABELS;

    private static List<String> loadLabels() {
        try (InputStream in = ModelStore.class.getResourceAsStream("/imagine/model/imagenet-labels.txt")) {
            if (in == null) {
                throw new IllegalStateException("imagine/model/imagenet-labels.txt is missing from the plugin's jar: "
                        + "reinstall the plugin.");
            }
            List<String> labels = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            if (labels.size() != IMAGENET_CLASSES) {
                throw new IllegalStateException("imagine/model/imagenet-labels.txt in the plugin's jar lists " + labels.size()
                        + " classes, not " + IMAGENET_CLASSES + ": reinstall the plugin.");
            }
            return labels;
        } catch (IOException e) {
            throw new IllegalStateException("The plugin's class names cannot be read (" + e.getMessage() + "): reinstall "
                    + "the plugin.", e);
        }
    }

    /**
     * What is wrong with the installed model {@code id} in this folder, one line per problem: files
     * that differ from their pins, an unreadable metadata.json or one whose labels do not match the
     * head. Empty when it is fine or not installed.
     */
    public List<String> problems(String id) {
        List<String> out = new ArrayList<>();
        if (!isInstalled(id)) {
            return out;
        }
        Path folder = modelsDir.resolve(id);
        try {
            List<String> bad = WeightCheck.damaged(id, folder);
            if (!bad.isEmpty()) {
                out.add(id + ": " + bad.size() + " file(s) missing or different from the published copy: "
                        + String.join(", ", bad.subList(0, Math.min(5, bad.size()))));
            }
        } catch (java.io.IOException e) {
            out.add(id + ": files unreadable (" + e.getMessage() + ")");
        }
        try {
            readLabels(folder);
        } catch (ModelException e) {
            out.add(id + ": " + e.getMessage());
        }
        if (out.isEmpty()) {
            // Read as a load reads it (without building it on a device): what load would refuse, doctor reports.
            try {
                read(id, folder);
            } catch (UserInputException e) {
                out.add(id + ": " + e.getMessage());
            } catch (RuntimeException e) {
                out.add(id + ": cannot be read (" + e + "). Replace the model folder with a fresh copy.");
            }
        }
        return out;
    }

    /** Whether model {@code id}'s files are in this folder (nothing is downloaded or read). */
    public boolean isInstalled(String id) {
        return Files.isRegularFile(modelsDir.resolve(id).resolve(spec(id).mainFile()));
    }
}
