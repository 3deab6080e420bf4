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
 * Writes one run: a PNG (or TIFF) per sample and one JSON sidecar. Never overwrites: every run
 * claims the next free number ({@code <name>-001-s<seed>.png}, {@code <name>-001.json}) atomically,
 * so concurrent runs get distinct numbers, and every file is written under a temporary name and put
 * in place complete (see {@link NumberedFiles} and {@link Claim}).
 */
public final class RunWriter {

    static {
        // No temporary cache files: their delete-on-exit hook cannot be registered while the
        // JVM shuts down, which is exactly when Ctrl-C asks us to write the partial samples.
        ImageIO.setUseCache(false);
    }

    private RunWriter() {}

    /**
     * A run's numbered place in an output folder, claimed before the run when something is written
     * during it (snapshots share the run's number), else just before the files are written.
     */
    public static final class Slot implements AutoCloseable {
        /** How often a run moves to the next number when files of its names appear while it writes. */
        static final int MOVES = 3;

        private Claim claim;
        private final Path dir;
        private final String base;

        private Slot(Claim claim, Path dir, String base) {
            this.claim = claim;
            this.dir = dir;
            this.base = base;
        }

        /** The claim: what is written through it is the run's (see {@link Claim}). */
        public Claim claim() {
            return claim;
        }

        /** What killed runs had left in the folder and was removed before this run's number was claimed. */
        public List<Path> cleaned() {
            return claim.cleaned();
        }

        /** The folder this run's snapshots go in ({@code <name>-snapshots-<run>}), not made yet. */
        public Path snapshotsFolder() {
            return snapshots(dir, base, claim.number());
        }

        /**
         * Writes the run's images and then its sidecar; returns them in that order. When anything
         * fails on the way, the files already in place are removed again: a run is there whole or
         * not at all. When a file of the run's names appears meanwhile (another program writing into
         * the folder), the run moves to the next free number instead of failing. A gray run of a
         * 16-bit or floating-point reference ({@code wide} not null) writes TIFFs of that kind whose
         * values span the reference's range; every other run PNGs.
         */
        public List<Path> write(SynthesisResult r, Map<String, Object> extra, Images.WideGray wide) {
            Images.WideGray w = r.kind() == ImageKind.GRAY ? wide : null;
            String ext = w != null ? ".tif" : ".png";
            for (int move = 0;; move++) {
                List<Path> files = new ArrayList<>();
                try {
                    writeTo(claim, names(dir, base, claim.number(), r.seeds(), ext), files, r, extra, w);
                    return files;
                } catch (java.nio.file.FileAlreadyExistsException taken) {
                    claim.discard(files);
                    if (move == MOVES) {
                        throw new UncheckedIOException("Cannot write to " + dir + ": files named like this run's ("
                                + taken.getFile() + ") keep appearing there while it writes; give a folder only this run "
                                + "writes to.", taken);
                    }
                    moveOn(r.seeds(), ext);
                } catch (IOException | RuntimeException e) {
                    claim.discard(files); // best effort: the error below is what the user needs to see
                    if (e instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new UncheckedIOException("Cannot write to " + dir + ": " + Writable.reason(e), (IOException) e);
                }
            }
        }

        /** The next free number for these seeds; the old number keeps what was written during the run (snapshots). */
        private void moveOn(long[] seeds, String ext) {
            Claim next = claimFor(dir, base, seeds, ext);
            claim.close();
            claim = next;
        }

        /**
         * Ends a run that failed before its files were written: what it wrote (snapshots) is removed,
         * unless {@code keep} (a diverged run's snapshots show how it diverged).
         */
        public void abandon(boolean keep) {
            if (keep) {
                claim.close();
            } else {
                claim.discardAll();
            }
        }

        /** Releases the number; the files written are the user's from now on. */
        @Override
        public void close() {
            claim.close();
        }
    }

    /**
     * Claims the next free run number in {@code outDir} for a run of {@code baseName} with these
     * seeds; {@code wide}: the reference's kind. A number is taken only when its snapshots folder is
     * free too, whether this run takes snapshots or not, so a run's snapshots always carry its number.
     */
    public static Slot reserve(Path outDir, String baseName, long[] seeds, Images.WideGray wide) {
        return new Slot(claimFor(outDir, baseName, seeds, wide != null ? ".tif" : ".png"), outDir, baseName);
    }

    private static Claim claimFor(Path outDir, String baseName, long[] seeds, String ext) {
        try {
            return NumberedFiles.claim(outDir, n -> {
                List<Path> names = names(outDir, baseName, n, seeds, ext);
                names.add(snapshots(outDir, baseName, n));
                return names;
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to " + outDir + ": " + Writable.reason(e), e);
        }
    }

    /** Claims a number and writes the run into it (see {@link Slot#write}); returns the files. */
    public static List<Path> write(Path outDir, String baseName, SynthesisResult r, Map<String, Object> extra,
            Images.WideGray wide) {
        try (Slot slot = reserve(outDir, baseName, r.seeds(), r.kind() == ImageKind.GRAY ? wide : null)) {
            return slot.write(r, extra, wide);
        }
    }

    private static Path snapshots(Path dir, String base, int n) {
        return dir.resolve(String.format(java.util.Locale.ROOT, "%s-snapshots-%03d", base, n));
    }

    private static void writeTo(Claim claim, List<Path> names, List<Path> files, SynthesisResult r,
            Map<String, Object> extra, Images.WideGray wide) throws IOException {
        {
            for (int i = 0; i < r.samples().size(); i++) {
                RgbImage sample = r.samples().get(i);
                if (wide != null) {
                    BufferedImage tif = wide(sample, wide);
                    files.add(claim.write(names.get(i + 1), out -> {
                        if (!ImageIO.write(tif, "tiff", out)) {
                            throw new IOException("no TIFF writer in this Java");
                        }
                    }));
                    continue;
                }
                // A gray reference's samples are written as gray PNGs: no colour, a third of the size.
                BufferedImage png = r.kind() == ImageKind.GRAY ? sample.toGrayBufferedImage() : sample.toBufferedImage();
                files.add(claim.write(names.get(i + 1), out -> ImageIO.write(png, "png", out)));
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tool", "IMAGINE for Fiji");
            json.putAll(extra);
            if (wide != null) {
                json.put("bit_depth", wide.bits());
                json.put("value_range", wide.floating() ? List.of(wide.min(), wide.max())
                        : List.of(Math.round(wide.min()), Math.round(wide.max())));
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
            files.add(claim.write(names.get(0), out -> out.write(text)));
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

    /**
     * A gray sample as values spanning the reference's range, in its kind: 16-bit (what Fiji reads
     * as a 16-bit image) or 32-bit floating point.
     */
    static BufferedImage wide(RgbImage sample, Images.WideGray wide) {
        int w = sample.width();
        int h = sample.height();
        float[] v = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = Math.max(0, Math.min(1, sample.get(0, x, y)));
                double value = wide.min() + u * (wide.max() - wide.min());
                v[y * w + x] = (float) (wide.floating() ? value : Math.round(value));
            }
        }
        if (!wide.floating()) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
            img.getRaster().setSamples(0, 0, w, h, 0, v);
            return img;
        }
        java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_FLOAT);
        java.awt.image.WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        raster.setSamples(0, 0, w, h, 0, v);
        return new BufferedImage(cm, raster, false, null);
    }

    /** Run n's files: the sidecar (written last), then one image per seed with this extension. */
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
