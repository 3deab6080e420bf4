package imagine.cli;

import com.google.gson.GsonBuilder;
import imagine.core.RgbImage;
import imagine.core.SynthesisResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Writes one run: a PNG per sample and one JSON sidecar. Never overwrites: every run claims the
 * next free number ({@code <name>-001-s<seed>.png}, {@code <name>-001.json}) atomically, so
 * concurrent runs get distinct numbers, and every file is written under a temporary name and moved
 * into place complete (see {@link NumberedFiles}).
 */
final class RunWriter {

    static {
        // No temporary cache files: their delete-on-exit hook cannot be registered while the
        // JVM shuts down, which is exactly when Ctrl-C asks us to write the partial samples.
        ImageIO.setUseCache(false);
    }

    private RunWriter() {}

    static List<Path> write(Path outDir, String baseName, SynthesisResult r, Map<String, Object> extra) {
        try (NumberedFiles.Claim claim = NumberedFiles.claim(outDir, n -> names(outDir, baseName, n, r.seeds()))) {
            List<Path> names = names(outDir, baseName, claim.number(), r.seeds());
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < r.samples().size(); i++) {
                RgbImage sample = r.samples().get(i);
                files.add(NumberedFiles.write(names.get(i + 1), out -> ImageIO.write(sample.toBufferedImage(), "png", out)));
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
            byte[] text = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(json)
                    .getBytes(StandardCharsets.UTF_8);
            // The sidecar last: a run folder with PNGs but no sidecar is one that did not finish.
            files.add(NumberedFiles.write(names.get(0), out -> out.write(text)));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to " + outDir + ": " + e.getMessage(), e);
        }
    }

    /** Run n's files: the sidecar, then one PNG per seed. */
    static List<Path> names(Path dir, String base, int n, long[] seeds) {
        String prefix = String.format("%s-%03d", base, n);
        List<Path> names = new ArrayList<>();
        names.add(dir.resolve(prefix + ".json"));
        for (long s : seeds) {
            names.add(dir.resolve(prefix + "-s" + s + ".png"));
        }
        return names;
    }
}
