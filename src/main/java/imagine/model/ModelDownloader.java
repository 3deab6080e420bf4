package imagine.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fills a model folder from the model's public copy: model.json first, then every weight file its
 * manifest names. Each file goes to a temporary name, is checked (size from the server, SHA-256
 * against the catalog's pin, or against the hash pinned at the first download where the catalog
 * has none: trust on first use) and only then moved into place, so a failed or partial download
 * never leaves a file that looks complete. Files already present and matching are kept; a present
 * file that does not match is replaced. Offline, it says which files to put where.
 */
public final class ModelDownloader {

    /** Public TF.js layers copies of the MobileNet V1 models (the TF.js project's bucket). */
    public static final String TFJS_BASE = "https://storage.googleapis.com/tfjs-models/tfjs/";
    static final String PIN_FILE = ".imagine-sha256";

    private final String baseUrl;
    private final int timeoutMillis;
    private final Consumer<String> progress;

    /** @param baseUrl where {@code <id>/model.json} is served; null for the public bucket */
    public ModelDownloader(String baseUrl, int timeoutMillis, Consumer<String> progress) {
        this.baseUrl = baseUrl == null ? TFJS_BASE : (baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.timeoutMillis = timeoutMillis;
        this.progress = progress;
    }

    /** Whether downloads are allowed: DJL's offline switch (on by default in this product) is off. */
    public static boolean online() {
        return "false".equalsIgnoreCase(ai.djl.util.Utils.getEnvOrSystemProperty("ai.djl.offline"));
    }

    /** SHA-256 of each file of {@code id} as the catalog pins them; empty when the catalog has none (TOFU). */
    static Map<String, String> catalogHashes(String id) {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = ModelDownloader.class.getResourceAsStream("/imagine/model/" + id + ".sha256")) {
            if (in != null) {
                readHashes(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), m);
            }
        } catch (IOException e) {
            throw new ModelException("Cannot read the model catalog for " + id + ": " + e.getMessage(), e);
        }
        return m;
    }

    private static void readHashes(BufferedReader r, Map<String, String> into) throws IOException {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            String[] p = line.trim().split("\\s+", 2);
            if (p.length == 2) {
                into.put(p[1], p[0]);
            }
        }
    }

    /** Downloads what is missing or wrong in {@code folder} (the model's own folder). */
    public void fetch(String id, Path folder) {
        ModelSpec spec = ModelStore.spec(id); // unknown ids fail with the list of known ones
        if (!Backbones.of(spec).downloadable()) {
            throw new ModelException("Model " + id + " is not downloaded automatically: put its " + spec.mainFile() + " into "
                    + folder + " by hand.");
        }
        if (!online()) {
            throw new ModelException("Model " + id + " is not in " + folder + " and downloads are off (offline). Put "
                    + "model.json and the weight files it names from " + baseUrl + id + "/ into " + folder
                    + ", or allow downloads with -Dai.djl.offline=false.");
        }
        try {
            Files.createDirectories(folder);
            Map<String, String> pins = catalogHashes(id);
            boolean trustOnFirstUse = pins.isEmpty();
            Path pinFile = folder.resolve(PIN_FILE);
            if (trustOnFirstUse && Files.isRegularFile(pinFile)) {
                try (BufferedReader r = Files.newBufferedReader(pinFile)) {
                    readHashes(r, pins);
                }
            }
            Map<String, String> seen = new LinkedHashMap<>();
            seen.put("model.json", get(id, "model.json", folder, pins.get("model.json")));
            for (String file : weightFiles(folder.resolve("model.json"))) {
                seen.put(file, get(id, file, folder, pins.get(file)));
            }
            if (trustOnFirstUse && !Files.isRegularFile(pinFile)) {
                StringBuilder sb = new StringBuilder();
                seen.forEach((f, h) -> sb.append(h).append("  ").append(f).append('\n'));
                // A new file (exclusive create, never through a link of that name), renamed into place.
                Path tmp = Files.createTempFile(folder, ".imagine-sha256", ".part");
                try {
                    Files.writeString(tmp, sb.toString());
                    Files.move(tmp, pinFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(tmp);
                }
                progress.accept("The catalog has no checksums for " + id + ": pinned the SHA-256 of this first download "
                        + "in " + pinFile + " (trust on first use); later downloads must match it.");
            }
        } catch (IOException e) {
            throw new ModelException("Cannot write the model files to " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The weight files model.json names, refusing paths that leave the folder. */
    static List<String> weightFiles(Path modelJson) throws IOException {
        List<String> files = new ArrayList<>();
        Path base = modelJson.toAbsolutePath().normalize().getParent();
        JsonObject root;
        try {
            root = BoundedJson.parse(modelJson, 64L << 20).getAsJsonObject();
            for (JsonElement g : root.getAsJsonArray("weightsManifest")) {
                for (JsonElement p : g.getAsJsonObject().getAsJsonArray("paths")) {
                    String f = p.getAsString();
                    // The reader's own rule, so what is downloaded is exactly what may later be read.
                    TfjsModel.resolveInside(base, f);
                    files.add(f);
                }
            }
        } catch (RuntimeException e) {
            if (e instanceof ModelException me) {
                throw me;
            }
            throw new ModelException(modelJson + " from the server is not a TensorFlow.js model (" + e + ").", e);
        }
        return files;
    }

    /** One file: kept when present and matching, else downloaded to a temporary name, checked, moved. Returns its SHA-256. */
    private String get(String id, String file, Path folder, String expected) throws IOException {
        Path dest = folder.resolve(file);
        if (Files.isRegularFile(dest)) {
            String have = sha256(dest);
            if (expected == null || expected.equals(have)) {
                return have;
            }
            progress.accept(file + " is damaged (checksum mismatch): downloading it again.");
        }
        URI uri = URI.create(baseUrl + id + "/" + file);
        Path tmp = Files.createTempFile(folder, "." + file, ".part");
        try {
            HttpURLConnection c = open(uri, dest);
            long declared = c.getContentLengthLong();
            MessageDigest sha = sha256();
            long n = copy(c, uri, tmp, sha);
            if (declared >= 0 && n != declared) {
                throw new ModelException("The download of " + uri + " is truncated: " + n + " of " + declared
                        + " bytes. Try again.");
            }
            String got = HexFormat.of().formatHex(sha.digest());
            if (expected != null && !expected.equals(got)) {
                throw new ModelException("The download of " + uri + " does not match its checksum (SHA-256 " + got
                        + ", expected " + expected + "): the file is corrupt or not the published one. Nothing was "
                        + "installed.");
            }
            try {
                Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING);
            }
            progress.accept("downloaded " + file + " (" + n + " bytes)");
            return got;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The connection to {@code uri}, answered with 200; otherwise a message that says what to do instead. */
    private HttpURLConnection open(URI uri, Path dest) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(timeoutMillis);
        c.setReadTimeout(timeoutMillis); // per read: a stalled server fails instead of hanging
        int code;
        try {
            code = c.getResponseCode();
        } catch (SocketTimeoutException e) {
            throw new ModelException("The server at " + uri + " did not answer within " + timeoutMillis / 1000.0
                    + " s. Try again later, or put the file there by hand: " + dest + ".", e);
        } catch (IOException e) {
            throw new ModelException("Cannot reach " + uri + " (" + e + "). Check the network, or put the file there "
                    + "by hand: " + dest + ".", e);
        }
        if (code != 200) {
            throw new ModelException("Downloading " + uri + " failed: HTTP " + code + ". Put the file there by hand: "
                    + dest + ".");
        }
        return c;
    }

    /** The body into {@code tmp}, hashed on the way; returns its length. */
    private long copy(HttpURLConnection c, URI uri, Path tmp, MessageDigest sha) {
        long n = 0;
        try (InputStream in = c.getInputStream(); OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
            byte[] buf = new byte[65536];
            for (int k = in.read(buf); k >= 0; k = in.read(buf)) {
                out.write(buf, 0, k);
                n += k;
            }
        } catch (SocketTimeoutException e) {
            throw new ModelException("The download of " + uri + " stalled (no data for " + timeoutMillis / 1000.0
                    + " s after " + n + " bytes). Try again later.", e);
        } catch (IOException e) {
            throw new ModelException("The download of " + uri + " broke off after " + n + " bytes (" + e
                    + "). Try again.", e);
        }
        return n;
    }

    /**
     * The SHA-256 of each file of {@code id} that its folder must hold: the catalog's pins, or for a
     * model the catalog has none for, the hashes pinned at its first download; empty when neither.
     */
    static Map<String, String> pins(String id, Path folder) throws IOException {
        Map<String, String> pins = catalogHashes(id);
        if (pins.isEmpty() && Files.isRegularFile(folder.resolve(PIN_FILE))) {
            try (BufferedReader r = Files.newBufferedReader(folder.resolve(PIN_FILE))) {
                readHashes(r, pins);
            }
        }
        return pins;
    }

    /** A line for the doctor report: installed or not, and whether the files match the known checksums. */
    public static String status(String id, Path folder) {
        String main = ModelStore.spec(id).mainFile();
        if (!Files.isRegularFile(folder.resolve(main))) {
            return "not installed (" + folder + ")";
        }
        try {
            Map<String, String> pins = pins(id, folder);
            if (pins.isEmpty()) {
                return "present, no checksums known (" + folder + ")";
            }
            String source = catalogHashes(id).isEmpty() ? "the hashes pinned at its first download" : "the catalog";
            List<String> bad = WeightCheck.damaged(id, folder);
            return bad.isEmpty() ? "present, " + pins.size() + " files match " + source + " (" + folder + ")"
                    : "DAMAGED: " + bad.size() + " of " + pins.size() + " files missing or differ from " + source + " "
                            + bad.subList(0, Math.min(3, bad.size())) + " (" + folder + ")";
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    static String sha256(Path f) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[65536];
            for (int k = in.read(buf); k >= 0; k = in.read(buf)) {
                sha.update(buf, 0, k);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
