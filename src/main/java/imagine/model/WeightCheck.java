package imagine.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model files checked where they are loaded: each file the catalog pins (or the first download
 * pinned) must have its SHA-256, so a damaged or foreign file is refused with doctor's words
 * instead of being used. A file checked once is remembered by path, size and modification time,
 * in this process and in {@code ~/.imagine/checked-weights.properties} (when writable), so later
 * loads cost a stat per file.
 */
final class WeightCheck {

    private static final Map<String, String> CHECKED = new ConcurrentHashMap<>();
    /** Larger than any file of a catalog model (ResNet-50's one file is about 100 MB). */
    static final long MAX_FILE_BYTES = 1L << 30;

    private WeightCheck() {}

    /** The pinned files of {@code id} in {@code folder} that are missing or differ; empty when all match or none are pinned. */
    static List<String> damaged(String id, Path folder) throws IOException {
        Map<String, String> pins = ModelDownloader.pins(id, folder);
        List<String> bad = new ArrayList<>();
        for (var e : pins.entrySet()) {
            Path f = folder.resolve(e.getKey());
            // No weight file of a catalog model is near this size: one that is is not the published file, and
            // hashing it (a sparse file of many gigabytes) would take minutes.
            if (!Files.isRegularFile(f) || Files.size(f) > MAX_FILE_BYTES || !e.getValue().equals(sha256(f))) {
                bad.add(e.getKey());
            }
        }
        return bad;
    }

    /** Refuses a model whose pinned files are missing or differ. */
    static void verify(String id, Path folder) {
        List<String> bad;
        try {
            bad = damaged(id, folder);
        } catch (IOException e) {
            throw new ModelException("Cannot read the files of model " + id + " in " + folder + " (" + e.getMessage()
                    + "). Check the folder's permissions.", e);
        }
        if (!bad.isEmpty()) {
            throw new ModelException("Model " + id + " in " + folder + " is damaged: " + bad.size() + " file(s) missing or "
                    + "different from the published copy (" + String.join(", ", bad.subList(0, Math.min(3, bad.size())))
                    + (bad.size() > 3 ? ", ..." : "") + "). Replace " + (Backbones.of(ModelStore.spec(id)).downloadable()
                    ? "the model folder with a fresh copy (" + ModelDownloader.TFJS_BASE + id + "/)"
                    : "its files with a fresh copy") + "; `imagine doctor` checks every model.");
        }
    }

    /** The file's SHA-256, from memory when its size and modification time are what they were when hashed. */
    static String sha256(Path f) throws IOException {
        ensureLoaded();
        Path abs = f.toAbsolutePath().normalize();
        // The change time too where there is one: unlike the modification time, no user can set it back.
        Object ctime = "";
        try {
            ctime = Files.getAttribute(abs, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // not a POSIX file system: size and modification time
        }
        String stamp = Files.size(abs) + ":" + Files.getLastModifiedTime(abs).toMillis() + ":" + ctime;
        String hit = CHECKED.get(abs.toString());
        if (hit != null && hit.startsWith(stamp + ":")) {
            return hit.substring(stamp.length() + 1);
        }
        String sha = ModelDownloader.sha256(abs);
        CHECKED.put(abs.toString(), stamp + ":" + sha);
        save();
        return sha;
    }

    private static volatile boolean loaded;

    private static synchronized void ensureLoaded() {
        if (!loaded) {
            load();
            loaded = true;
        }
    }

    private static Path store() {
        return Path.of(System.getProperty("user.home"), ".imagine", "checked-weights.properties");
    }

    private static void load() {
        Path p = store();
        if (!Files.isRegularFile(p)) {
            return;
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(p)) {
            props.load(in);
            props.forEach((k, v) -> CHECKED.putIfAbsent(k.toString(), v.toString()));
        } catch (IOException | IllegalArgumentException e) {
            // An unreadable memory only costs hashing again.
        }
    }

    private static synchronized void save() {
        Path p = store();
        try {
            Files.createDirectories(p.getParent());
            Properties props = new Properties();
            // Entries of files that are gone (a test's or a download's temporary folder) are dropped.
            CHECKED.forEach((k, v) -> {
                if (Files.isRegularFile(Path.of(k))) {
                    props.setProperty(k, v);
                }
            });
            Path tmp = Files.createTempFile(p.getParent(), ".checked-weights", ".tmp");
            try {
                try (OutputStream o = Files.newOutputStream(tmp)) {
                    props.store(o, "SHA-256 of model files checked by IMAGINE, by path; size:mtime:ctime:sha256");
                }
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not writable (a read-only home): the check is repeated next time, nothing else changes.
        }
    }
}
