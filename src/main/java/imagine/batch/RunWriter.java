package imagine.batch;

import com.google.gson.GsonBuilder;
import imagine.core.SynthesisResult;
import imagine.image.ImageKind;
import imagine.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
public final class RunWriter {

    static {
        // No temporary cache files: their delete-on-exit hook cannot be registered while the
        // JVM shuts down, which is exactly when Ctrl-C asks us to write the partial samples.
        ImageIO.setUseCache(false);
    }

    private RunWriter() {}

    /**
     * Writes the run's images and then its sidecar; returns them in that order. When anything fails
     * on the way, the files already in place are removed again: a run is there whole or not at all
     * (short of the process dying between two renames). A gray run of a 16-bit reference ({@code
     * wide} not null) writes 16-bit TIFFs whose values span the reference's range; every other run PNGs.
     */
    public static List<Path> write(Path outDir, String baseName, SynthesisResult r, Map<String, Object> extra,
            Images.WideGray wide) {
        List<Path> files = new ArrayList<>();
        Images.WideGray w16 = r.kind() == ImageKind.GRAY ? wide : null;
        String ext = w16 != null ? ".tif" : ".png";
        try (NumberedFiles.Claim claim = NumberedFiles.claim(outDir, n -> names(outDir, baseName, n, r.seeds(), ext))) {
            List<Path> names = names(outDir, baseName, claim.number(), r.seeds(), ext);
            writeTo(names, files, r, extra, w16);
            return files;
        } catch (IOException | RuntimeException e) {
            for (Path f : files) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException ignored) {
                    // best effort: the error below is what the user needs to see
                }
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException("Cannot write to " + outDir + ": " + Writable.reason(e), (IOException) e);
        }
    }

    private static void writeTo(List<Path> names, List<Path> files, SynthesisResult r, Map<String, Object> extra,
            Images.WideGray wide) throws IOException {
        {
            for (int i = 0; i < r.samples().size(); i++) {
                RgbImage sample = r.samples().get(i);
                if (wide != null) {
                    BufferedImage tif = sixteenBit(sample, wide);
                    files.add(NumberedFiles.write(names.get(i + 1), out -> {
                        if (!ImageIO.write(tif, "tiff", out)) {
                            throw new IOException("no TIFF writer in this Java");
                        }
                    }));
                    continue;
                }
                // A gray reference's samples are written as gray PNGs: no colour, a third of the size.
                BufferedImage png = r.kind() == ImageKind.GRAY ? sample.toGrayBufferedImage() : sample.toBufferedImage();
                files.add(NumberedFiles.write(names.get(i + 1), out -> ImageIO.write(png, "png", out)));
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tool", "IMAGINE for Fiji");
            json.putAll(extra);
            if (wide != null) {
                json.put("bit_depth", wide.bits());
                json.put("value_range", List.of(wide.min(), wide.max()));
            }
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
        }
    }

    /** A finished run found in an output folder: its files (PNGs, then the sidecar) and what its sidecar says. */
    public record Finished(List<Path> files, long[] seeds, int targetClass, double meanTargetProbability) {}

    /**
     * A finished (not cancelled) run of {@code reference} with exactly these parameters already in
     * {@code outDir}, or null: a retried batch task finds its earlier attempt's output here instead
     * of writing it twice.
     */
    public static Finished findFinished(Path outDir, String baseName, Path reference, Map<String, Object> parameters) {
        String ref = reference.toAbsolutePath().toString();
        com.google.gson.JsonElement want = new GsonBuilder().serializeSpecialFloatingPointValues().create()
                .toJsonTree(parameters);
        for (int n = 1;; n++) {
            Path sidecar = outDir.resolve(String.format("%s-%03d.json", baseName, n));
            if (!Files.exists(sidecar)) {
                return null;
            }
            try {
                com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(sidecar))
                        .getAsJsonObject();
                if (ref.equals(o.get("reference").getAsString()) && !o.get("cancelled").getAsBoolean()
                        && want.equals(o.get("parameters"))) {
                    List<Path> files = new ArrayList<>();
                    com.google.gson.JsonArray samples = o.getAsJsonArray("samples");
                    long[] seeds = new long[samples.size()];
                    double p = 0;
                    for (int i = 0; i < seeds.length; i++) {
                        com.google.gson.JsonObject s = samples.get(i).getAsJsonObject();
                        files.add(outDir.resolve(s.get("file").getAsString()));
                        seeds[i] = s.get("seed").getAsLong();
                        p += s.get("target_probability").getAsDouble() / seeds.length;
                    }
                    files.add(sidecar);
                    if (files.stream().allMatch(Files::isRegularFile)) {
                        return new Finished(files, seeds, o.get("target_class").getAsInt(), p);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not a sidecar of ours: keep looking
            }
        }
    }

    /** A gray sample as 16-bit values spanning the reference's range (what Fiji reads as a 16-bit image). */
    static BufferedImage sixteenBit(RgbImage sample, Images.WideGray wide) {
        int w = sample.width();
        int h = sample.height();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        int[] v = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = Math.max(0, Math.min(1, sample.get(0, x, y)));
                v[y * w + x] = (int) Math.round(wide.min() + u * (wide.max() - wide.min()));
            }
        }
        img.getRaster().setSamples(0, 0, w, h, 0, v);
        return img;
    }

    /** Run n's files: the sidecar, then one image per seed with this extension. */
    public static List<Path> names(Path dir, String base, int n, long[] seeds, String ext) {
        String prefix = String.format("%s-%03d", base, n);
        List<Path> names = new ArrayList<>();
        names.add(dir.resolve(prefix + ".json"));
        for (long s : seeds) {
            names.add(dir.resolve(prefix + "-s" + s + ext));
        }
        return names;
    }
}
