package imagine.cli;

import imagine.UserInputException;
import imagine.core.Ablation;
import imagine.core.CancellationToken;
import imagine.core.ImagineConfig;
import imagine.core.ImagineEngine;
import imagine.core.ProgressListener;
import imagine.core.Quality;
import imagine.core.RgbImage;
import imagine.core.SynthesisResult;
import imagine.model.Backbone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * layers, diversity and copy score (defined in the README). Written to a new numbered folder.
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
            description = "full, no_adversarial, no_features, class_only (default: all).")
    List<String> methods = List.of("full", "no_adversarial", "no_features", "class_only");

    @Mixin
    Main.Common common = new Main.Common();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    /** One table row. */
    record Row(String image, Ablation method, Quality.Scores scores, double seconds, double[] targetProbabilities) {}

    @Override
    public Integer call() {
        if (samples < 2 || samples > 16) {
            throw new UserInputException("--samples must be between 2 and 16 (diversity needs two).");
        }
        List<Ablation> ablations = new ArrayList<>();
        for (String m : methods) {
            ablations.add(Ablation.parse(m.trim()));
        }
        ImagineConfig.Builder b = ImagineConfig.preset(ImagineConfig.Preset.parse(preset)).size(size, size)
                .samples(samples).seed(seed);
        if (iterations != null) {
            b.iterations(iterations);
        }
        ImagineConfig base = b.build();
        List<Path> files = listImages(images);
        Path dir = newReportDir(out);
        List<Row> rows = new ArrayList<>();
        try (Backbone backbone = modelOptions.load()) {
            ImagineEngine engine = modelOptions.engine(backbone);
            Quality quality = new Quality(backbone, imagine.model.ModelStore.spec(backbone.id()).evaluationTaps(),
                    base.output().taps().isEmpty() ? backbone.defaultTaps() : base.output().taps());
            System.out.println("held-out layers: " + String.join(", ", quality.heldOutTaps()));
            for (Path f : files) {
                RgbImage ref = Images.read(f);
                String name = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                int refClass = engine.classify(ref, 1).get(0).index();
                Map<Ablation, List<RgbImage>> shown = new LinkedHashMap<>();
                Map<Ablation, Quality.Scores> scores = new LinkedHashMap<>();
                for (Ablation a : ablations) {
                    long t0 = System.nanoTime();
                    SynthesisResult r = engine.synthesize(ref, a.apply(base), ProgressListener.NONE, new CancellationToken());
                    double secs = (System.nanoTime() - t0) / 1e9;
                    Quality.Scores s = quality.score(ref, refClass, r.samples(), r.predictedClasses());
                    rows.add(new Row(name, a, s, secs, r.targetProbabilities()));
                    shown.put(a, r.samples());
                    scores.put(a, s);
                    System.out.printf(Locale.ROOT, "%s\t%s\tagree %.2f\tfeat %.4f\tdiv %.3f\tcopy %.3f\t%.0f s%n", name, a.key(),
                            s.classAgreement(), s.featureDistance(), s.diversity(), s.copyScore(), secs);
                }
                Path montage = dir.resolve(name + "-montage.png");
                ImageIO.write(Montage.draw(ref, engine.label(refClass), shown, scores), "png", montage.toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the report to " + dir + ": " + e.getMessage(), e);
        }
        writeTables(dir, rows, ablations, base, preset);
        System.out.println("wrote " + dir);
        return 0;
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

    static Path newReportDir(Path out) {
        try {
            return NumberedFiles.newFolder(out, n -> String.format("report-%03d", n));
        } catch (IOException e) {
            throw new UserInputException("Cannot create a report folder in " + out + ": " + e.getMessage());
        }
    }

    private static void writeTables(Path dir, List<Row> rows, List<Ablation> ablations, ImagineConfig cfg, String preset) {
        StringBuilder csv = new StringBuilder("image,method,class_agreement,feature_distance,diversity,copy_score,seconds,"
                + "mean_target_probability\n");
        StringBuilder md = new StringBuilder("| image | method | class agreement | feature distance | diversity | copy score | s |\n"
                + "| --- | --- | --- | --- | --- | --- | --- |\n");
        for (Row r : rows) {
            Quality.Scores s = r.scores();
            double meanP = java.util.Arrays.stream(r.targetProbabilities()).average().orElse(Double.NaN);
            csv.append(String.format(Locale.ROOT, "%s,%s,%.3f,%.5f,%.4f,%.4f,%.1f,%.4f%n", r.image(), r.method().key(),
                    s.classAgreement(), s.featureDistance(), s.diversity(), s.copyScore(), r.seconds(), meanP));
            md.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.4f | %.3f | %.3f | %.0f |%n", r.image(), r.method().key(),
                    s.classAgreement(), s.featureDistance(), s.diversity(), s.copyScore(), r.seconds()));
        }
        md.append("\n| method | mean class agreement | mean feature distance | mean diversity | mean copy score |\n"
                + "| --- | --- | --- | --- | --- |\n");
        for (Ablation a : ablations) {
            List<Quality.Scores> s = rows.stream().filter(r -> r.method() == a).map(Row::scores).toList();
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.4f | %.3f | %.3f |%n", a.key(),
                    s.stream().mapToDouble(Quality.Scores::classAgreement).average().orElse(Double.NaN),
                    s.stream().mapToDouble(Quality.Scores::featureDistance).average().orElse(Double.NaN),
                    s.stream().mapToDouble(Quality.Scores::diversity).average().orElse(Double.NaN),
                    s.stream().mapToDouble(Quality.Scores::copyScore).average().orElse(Double.NaN)));
        }
        if (ablations.contains(Ablation.FULL) && ablations.size() > 1) {
            Map<String, List<Row>> byImage = new LinkedHashMap<>();
            rows.forEach(r -> byImage.computeIfAbsent(r.image(), k -> new ArrayList<>()).add(r));
            int ahead = 0;
            for (List<Row> rs : byImage.values()) {
                double full = rs.stream().filter(r -> r.method() == Ablation.FULL).findFirst().orElseThrow().scores()
                        .featureDistance();
                if (rs.stream().filter(r -> r.method() != Ablation.FULL).allMatch(r -> r.scores().featureDistance() > full)) {
                    ahead++;
                }
            }
            md.append(String.format(Locale.ROOT, "%nThe full method has the lowest feature distance on %d of %d images.%n",
                    ahead, byImage.size()));
        }
        md.append(String.format(Locale.ROOT, "%nSettings: %s preset, %d iterations, %dx%d, %d samples, first seed %d.%n",
                preset, cfg.schedule().iterations(), cfg.output().width(), cfg.output().height(), cfg.output().samples(), cfg.output().seed()));
        try {
            Files.writeString(dir.resolve("report.csv"), csv, StandardOpenOption.CREATE_NEW);
            Files.writeString(dir.resolve("report.md"), md, StandardOpenOption.CREATE_NEW);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the report tables to " + dir + ": " + e.getMessage(), e);
        }
        System.out.print(md);
    }
}
