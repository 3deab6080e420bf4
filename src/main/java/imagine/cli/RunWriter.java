package imagine.cli;

import com.google.gson.GsonBuilder;
import imagine.core.SynthesisResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes one run: a PNG per sample and one JSON sidecar. Never overwrites: every run gets the
 * next free number ({@code <name>-001-s<seed>.png}, {@code <name>-001.json}), and files are
 * created with CREATE_NEW so a race with another process fails instead of clobbering.
 */
final class RunWriter {

    static {
        // No temporary cache files: their delete-on-exit hook cannot be registered while the
        // JVM shuts down, which is exactly when Ctrl-C asks us to write the partial samples.
        ImageIO.setUseCache(false);
    }

    private RunWriter() {}

    static List<Path> write(Path outDir, String baseName, SynthesisResult r, Map<String, Object> extra) {
        try {
            Files.createDirectories(outDir);
            int run = 1;
            while (taken(outDir, baseName, run, r)) {
                run++;
            }
            String prefix = String.format("%s-%03d", baseName, run);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < r.samples().size(); i++) {
                Path p = outDir.resolve(prefix + "-s" + r.seeds()[i] + ".png");
                try (var out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW)) {
                    ImageIO.write(r.samples().get(i).toBufferedImage(), "png", out);
                }
                files.add(p);
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tool", "IMAGINE for Fiji");
            json.putAll(extra);
            Map<String, Object> described = r.describe();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> samples = (List<Map<String, Object>>) described.get("samples");
            for (int i = 0; i < samples.size(); i++) {
                // The file first, as before this map was shared with Fiji.
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("file", files.get(i).getFileName().toString());
                s.putAll(samples.get(i));
                samples.set(i, s);
            }
            json.putAll(described);
            Path sidecar = outDir.resolve(prefix + ".json");
            Files.writeString(sidecar, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                    .create().toJson(json), StandardOpenOption.CREATE_NEW);
            files.add(sidecar);
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to " + outDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean taken(Path dir, String base, int run, SynthesisResult r) {
        String prefix = String.format("%s-%03d", base, run);
        if (Files.exists(dir.resolve(prefix + ".json"))) {
            return true;
        }
        for (long s : r.seeds()) {
            if (Files.exists(dir.resolve(prefix + "-s" + s + ".png"))) {
                return true;
            }
        }
        return false;
    }
}
