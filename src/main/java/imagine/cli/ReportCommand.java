package imagine.cli;

import imagine.batch.Writable;
import imagine.UserInputException;
import imagine.batch.Images;
import imagine.batch.Claim;
import imagine.batch.NumberedFiles;
import imagine.config.ImagineConfig;
import imagine.core.CancellationToken;
import imagine.core.ImagineEngine;
import imagine.core.ProgressListener;
import imagine.core.SynthesisResult;
import imagine.eval.Ablation;
import imagine.eval.Artifacts;
import imagine.eval.EvidenceRegions;
import imagine.eval.Quality;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The quality report: every image of a folder through the full method and its ablations, a
 * montage per image and a table of class agreement, feature-statistics distance on held-out
 * layers, diversity and copy score (defined in docs/evaluation.md). Written to a new numbered folder.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Compare the full method with its ablations on a folder of images.")
final class ReportCommand implements Callable<Integer> {

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of reference images (png, jpg, bmp, tif).")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where report-NNN/ is written.")
    Path out;

    @Option(names = "--samples", paramLabel = "N", description = "Samples per image and method (default: ${DEFAULT-VALUE}).")
    int samples = 2;

    @Option(names = "--preset", paramLabel = "P", description = "fast, default or quality (default: ${DEFAULT-VALUE}).")
    String preset = "fast";

    @Option(names = "--iterations", paramLabel = "N", description = "Iterations (default: the preset's).")
    Integer iterations;

    @Option(names = "--size", paramLabel = "PX", description = "Output side (default: ${DEFAULT-VALUE}).")
    int size = 224;

    @Option(names = "--seed", paramLabel = "N", description = "First seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--methods", split = ",", paramLabel = "M",
            description = "full, with_adversarial, no_adversarial, no_features, no_palette, class_only (default: full, "
                    + "with_adversarial, no_features, class_only).")
    List<String> methods = List.of("full", "with_adversarial", "no_features", "class_only");

    @Mixin
    Main.Common common = new Main.Common();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    /** One table row. */
    record Row(String image, Ablation method, Quality.Scores scores, double seconds, double[] targetProbabilities,
            long[] seeds, List<Artifacts.Scores> artifacts, double[] largestRegion) {

        double edges() {
            return artifacts.stream().mapToDouble(Artifacts.Scores::straightEdges).average().orElse(Double.NaN);
        }

        double grain() {
            return artifacts.stream().mapToDouble(Artifacts.Scores::worstBandGrain).average().orElse(Double.NaN);
        }

        double offPalette() {
            return artifacts.stream().mapToDouble(Artifacts.Scores::offPalette).average().orElse(Double.NaN);
        }

        double region() {
            return java.util.Arrays.stream(largestRegion).filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
        }
    }

    @Override
    public Integer call() {
        ImagineConfig base = config();
        List<Ablation> ablations = ablations();
        List<Path> files = listImages(images);
        // Every reference read before any work, one unreadable file must not stop the report half-way; not kept
        // (a folder of 100-megapixel images would not fit), read again in its turn.
        for (Path f : files) {
            Images.read(f);
        }
        Writable.folder(out, "--out");
        try (Backbone backbone = modelOptions.load()) {
            ImagineEngine engine = modelOptions.engine(backbone);
            Quality quality = new Quality(backbone, imagine.model.ModelStore.spec(backbone.id()).evaluationTaps(),
                    base.output().taps().isEmpty() ? backbone.defaultTaps() : base.output().taps());
            // The folder is claimed only once the model is loaded: a refused report touches nothing.
            Claim claim = newReport(out);
            Written report = new Written(claim, out.resolve(String.format(Locale.ROOT, "report-%03d", claim.number())), base,
                    preset, ablations, quality.sifidTaps(), files.size());
            System.out.println("held-out layers: " + String.join(", ", quality.heldOutTaps()));
            // Ctrl-C or SIGTERM: the finished rows are kept, their tables marked cancelled; a report with none is removed.
            Thread cleanup = new Thread(report::stopEarly, "report cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                for (Path f : files) {
                    runImage(f, engine, backbone, quality, report);
                }
            } catch (RuntimeException e) {
                Runtime.getRuntime().removeShutdownHook(cleanup);
                report.stopEarly();
                throw e;
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                return Main.EXIT_CANCELLED; // a signal came first: the hook writes the tables of what is done
            }
            report.finish();
            System.out.println("wrote " + report.dir());
            return 0;
        }
    }

    private ImagineConfig config() {
        if (samples < 2 || samples > 16) {
            throw new UserInputException("--samples must be between 2 and 16 (diversity needs two).");
        }
        ImagineConfig.Builder b = ImagineConfig.preset(ImagineConfig.Preset.parse(preset)).size(size, size)
                .samples(samples).seed(seed);
        if (iterations != null) {
            b.iterations(iterations);
        }
        return b.build();
    }

    private List<Ablation> ablations() {
        List<Ablation> ablations = new ArrayList<>();
        for (String m : methods) {
            Ablation a = Ablation.parse(m.trim());
            if (ablations.contains(a)) {
                throw new UserInputException("--methods lists " + a.key() + " twice; name each method once.");
            }
            ablations.add(a);
        }
        return ablations;
    }

    /** One reference through every method: its rows, its samples and its montage. */
    private static void runImage(Path f, ImagineEngine engine, Backbone backbone, Quality quality, Written report) {
        RgbImage ref = Images.read(f);
        String name = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        int refClass = engine.classify(ref, 1).get(0).index();
        ImagineConfig base = report.base();
        // Every method's samples have the base size: the reference's side of the artifact measures, once.
        Artifacts.Baseline baseline = Artifacts.baseline(ref, base.output().width(), base.output().height());
        Map<Ablation, List<RgbImage>> shown = new LinkedHashMap<>();
        Map<Ablation, Quality.Scores> scores = new LinkedHashMap<>();
        Path folder = report.folder(name);
        for (Ablation a : report.ablations()) {
            long t0 = System.nanoTime();
            SynthesisResult r = engine.synthesize(ref, a.apply(base), ProgressListener.NONE, new CancellationToken());
            double secs = (System.nanoTime() - t0) / 1e9;
            Quality.Scores s = quality.score(ref, refClass, r.samples(), r.predictedClasses());
            List<Artifacts.Scores> artifacts = r.samples().stream().map(baseline::of).toList();
            double[] regions = r.samples().stream().mapToDouble(x -> EvidenceRegions.largestShare(backbone, x, refClass))
                    .toArray();
            report.add(new Row(name, a, s, secs, r.targetProbabilities(), r.seeds(), artifacts, regions));
            shown.put(a, r.samples());
            scores.put(a, s);
            for (int i = 0; i < r.samples().size(); i++) {
                RgbImage sample = r.samples().get(i);
                report.write(folder.resolve(a.key() + "-s" + r.seeds()[i] + ".png"),
                        out -> ImageIO.write(sample.toBufferedImage(), "png", out));
            }
            System.out.printf(Locale.ROOT, "%s\t%s\tagree %.2f\trobust %.2f\tsifid %s\tfeat %.4f\tdiv %.3f\tcopy %.3f"
                    + "\t%.0f s%n", name, a.key(), s.classAgreement(), s.robustAgreement(), Montage.sifidText(s),
                    s.featureDistance(), s.diversity(), s.copyScore(), secs);
        }
        java.awt.image.BufferedImage montage = Montage.draw(ref, engine.label(refClass), shown, scores);
        report.write(report.dir().resolve(name + "-montage.png"), out -> ImageIO.write(montage, "png", out));
    }

    /**
     * A report being written: its claimed folder, its rows so far, and how it ends (whole, early with
     * the rows done, or removed when none is).
     */
    private static final class Written {
        private final Claim claim;
        private final Path dir;
        private final ImagineConfig base;
        private final String preset;
        private final List<Ablation> ablations;
        private final List<String> sifidTaps;
        private final int planned;
        private final List<Row> rows = new ArrayList<>();

        Written(Claim claim, Path dir, ImagineConfig base, String preset, List<Ablation> ablations, List<String> sifidTaps,
                int images) {
            this.claim = claim;
            this.dir = dir;
            this.base = base;
            this.preset = preset;
            this.ablations = ablations;
            this.sifidTaps = sifidTaps;
            this.planned = images * ablations.size();
        }

        Path dir() {
            return dir;
        }

        ImagineConfig base() {
            return base;
        }

        List<Ablation> ablations() {
            return ablations;
        }

        synchronized void add(Row r) {
            rows.add(r);
        }

        /** A new folder in the report for one image's samples. */
        Path folder(String name) {
            try {
                return claim.folder(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the report to " + dir + ": " + Writable.reason(e), e);
            }
        }

        void write(Path target, NumberedFiles.Content content) {
            try {
                claim.write(target, content);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the report to " + dir + ": " + Writable.reason(e), e);
            }
        }

        /** The tables of every row, then the folder is the user's. */
        synchronized void finish() {
            writeTables(this, rows, "");
            claim.close();
        }

        /** Stopped (a signal, a failure): the tables of the rows done, marked so; with none, what was written goes. */
        synchronized void stopEarly() {
            if (rows.isEmpty()) {
                claim.discardAll();
                return;
            }
            try {
                writeTables(this, rows, String.format(Locale.ROOT, "%nStopped early (cancelled or failed): %d of %d image "
                        + "and method runs done; the tables hold those.%n", rows.size(), planned));
            } catch (RuntimeException e) {
                // the process is going away; what was written stays
            }
            claim.close();
        }
    }

    static List<Path> listImages(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserInputException("--images " + dir + " is not a folder.");
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpe?g|bmp|tiff?|gif)")).sorted().toList();
            if (files.isEmpty()) {
                throw new UserInputException("No images (png, jpg, bmp, tif, gif) in " + dir + ".");
            }
            return files;
        } catch (IOException e) {
            throw new UserInputException("Cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** Claims the next free {@code report-NNN} in {@code out} and makes the folder through the claim. */
    static Claim newReport(Path out) {
        try {
            Claim claim = NumberedFiles.claim(out, n -> List.of(out.resolve(String.format(Locale.ROOT, "report-%03d", n))));
            SynthesisOptions.noteCleaned(claim.cleaned(), out);
            claim.folder(out.resolve(String.format(Locale.ROOT, "report-%03d", claim.number())));
            return claim;
        } catch (IOException e) {
            throw new UserInputException("Cannot create a report folder in " + out + ": " + Writable.reason(e));
        }
    }

    private static void writeTables(Written report, List<Row> rows, String note) {
        List<Ablation> ablations = report.ablations();
        List<String> sifidTaps = report.sifidTaps;
        ImagineConfig cfg = report.base();
        String sifidCols = String.join(",", sifidTaps.stream().map(t -> "sifid_" + t).toList());
        StringBuilder csv = new StringBuilder("image,method,class_agreement,robust_agreement," + sifidCols
                + ",feature_distance,diversity,copy_score,straight_edges,worst_band_grain,off_palette,largest_region,seconds,"
                + "mean_target_probability\n");
        String sifidHead = String.join(" | ", sifidTaps.stream().map(t -> "SIFID " + t).toList());
        StringBuilder md = new StringBuilder("| image | method | class agreement | robust agreement | " + sifidHead
                + " | feature distance | diversity | copy score | edges | grain | off-palette | one region | s |\n"
                + "| --- | --- | --- | --- | " + "--- | ".repeat(sifidTaps.size()) + "--- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            Quality.Scores s = r.scores();
            double meanP = java.util.Arrays.stream(r.targetProbabilities()).average().orElse(Double.NaN);
            csv.append(String.format(Locale.ROOT, "%s,%s,%.3f,%.3f,%s,%.5f,%.4f,%.4f,%.3f,%.3f,%.4f,%.3f,%.1f,%.4f%n", r.image(),
                    r.method().key(), s.classAgreement(), s.robustAgreement(), join(s.sifid(), ",", "%.4f"),
                    s.featureDistance(), s.diversity(), s.copyScore(), r.edges(), r.grain(), r.offPalette(), r.region(),
                    r.seconds(),
                    meanP));
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %.2f | %.2f | %s | %.4f | %.3f | %.3f | %.2f | %.2f | %.3f | %.2f | %.0f |%n",
                    r.image(), r.method().key(), s.classAgreement(), s.robustAgreement(), join(s.sifid(), " | ", "%.3f"),
                    s.featureDistance(), s.diversity(), s.copyScore(), r.edges(), r.grain(), r.offPalette(), r.region(),
                    r.seconds()));
        }
        md.append("\n| method | class agreement | robust agreement | " + sifidHead
                + " | feature distance | diversity | copy score | edges | grain | off-palette | one region | s |\n| --- | --- | --- | "
                + "--- | ".repeat(sifidTaps.size()) + "--- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Ablation a : ablations) {
            List<Row> rs = rows.stream().filter(r -> r.method() == a).toList();
            double[] sifid = new double[sifidTaps.size()];
            for (int k = 0; k < sifid.length; k++) {
                int kk = k;
                sifid[k] = rs.stream().mapToDouble(r -> r.scores().sifid()[kk]).average().orElse(Double.NaN);
            }
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s | %.4f | %.3f | %.3f | %.2f | %.2f | %.3f | %.2f | %.0f |%n",
                    a.key(), mean(rs, r -> r.scores().classAgreement()), mean(rs, r -> r.scores().robustAgreement()),
                    join(sifid, " | ", "%.3f"), mean(rs, r -> r.scores().featureDistance()),
                    mean(rs, r -> r.scores().diversity()), mean(rs, r -> r.scores().copyScore()), mean(rs, Row::edges),
                    mean(rs, Row::grain), mean(rs, Row::offPalette), mean(rs, Row::region), mean(rs, Row::seconds)));
        }
        if (ablations.contains(Ablation.FULL) && ablations.size() > 1) {
            md.append(comparisons(rows, ablations, sifidTaps));
        }
        md.append(String.format(Locale.ROOT, "%nSettings: %s preset, %d iterations, %dx%d, %d samples, first seed %d.%n",
                report.preset, cfg.schedule().iterations(), cfg.output().width(), cfg.output().height(), cfg.output().samples(),
                cfg.output().seed()));
        md.append(note);
        report.write(report.dir().resolve("report.csv"), o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        String perSample = perSample(rows);
        report.write(report.dir().resolve("artifacts.csv"), o -> o.write(perSample.getBytes(StandardCharsets.UTF_8)));
        report.write(report.dir().resolve("report.md"), o -> o.write(md.toString().getBytes(StandardCharsets.UTF_8)));
        System.out.print(md);
    }

    /** The artifact measures sample by sample: a mean would hide the one sample with a box in it. */
    private static String perSample(List<Row> rows) {
        StringBuilder sb = new StringBuilder("image,method,seed,straight_edges,worst_band_grain,off_palette,largest_region\n");
        for (Row r : rows) {
            for (int i = 0; i < r.artifacts().size(); i++) {
                Artifacts.Scores a = r.artifacts().get(i);
                sb.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,%.3f,%.4f,%.3f%n", r.image(), r.method().key(),
                        r.seeds()[i], a.straightEdges(), a.worstBandGrain(), a.offPalette(), r.largestRegion()[i]));
            }
        }
        return sb.toString();
    }

    /** How the full method fares against each ablation, image by image. */
    private static String comparisons(List<Row> rows, List<Ablation> ablations, List<String> sifidTaps) {
        Map<String, Map<Ablation, Quality.Scores>> byImage = new LinkedHashMap<>();
        rows.forEach(r -> byImage.computeIfAbsent(r.image(), k -> new LinkedHashMap<>()).put(r.method(), r.scores()));
        StringBuilder sb = new StringBuilder("\n");
        int lowest = 0;
        for (Map<Ablation, Quality.Scores> m : byImage.values()) {
            double full = m.get(Ablation.FULL).featureDistance();
            lowest += m.values().stream().filter(s -> s != m.get(Ablation.FULL)).allMatch(s -> s.featureDistance() > full) ? 1 : 0;
        }
        sb.append(String.format(Locale.ROOT, "The full method has the lowest feature distance on %d of %d images.%n", lowest,
                byImage.size()));
        for (Ablation a : ablations) {
            if (a == Ablation.FULL) {
                continue;
            }
            for (int k = 0; k < sifidTaps.size(); k++) {
                int better = 0;
                for (Map<Ablation, Quality.Scores> m : byImage.values()) {
                    better += m.get(Ablation.FULL).sifid()[k] <= 0.85 * m.get(a).sifid()[k] ? 1 : 0;
                }
                sb.append(String.format(Locale.ROOT, "Full vs %s: SIFID at %s at least 15%% lower on %d of %d images.%n",
                        a.key(), sifidTaps.get(k), better, byImage.size()));
            }
        }
        return sb.toString();
    }

    private static double mean(List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static String join(double[] v, String sep, String format) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() > 0 ? sep : "").append(String.format(Locale.ROOT, format, d));
        }
        return sb.toString();
    }
}
