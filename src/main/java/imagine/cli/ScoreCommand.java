package imagine.cli;

import imagine.UserInputException;
import imagine.batch.Images;
import imagine.batch.NumberedFiles;
import imagine.core.ImagineEngine;
import imagine.eval.Artifacts;
import imagine.eval.EvidenceRegions;
import imagine.eval.MeasureMaps;
import imagine.eval.Quality;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.ModelStore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The report's metrics for samples made elsewhere (an earlier version, another tool) against their reference. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = "Score existing samples against their reference with the report's metrics.")
final class ScoreCommand implements Callable<Integer> {

    @Option(names = "--reference", required = true, paramLabel = "FILE", description = "The reference image.")
    Path reference;

    @Option(names = "--maps", paramLabel = "DIR", description = "Also write <sample>-measures.png there for each "
            + "sample: where each artifact measure looks (strongest straight edge, grain bands, off-palette pixels, "
            + "class evidence regions).")
    Path maps;

    @Parameters(arity = "1..*", paramLabel = "SAMPLE", description = "Sample images (all of one size).")
    List<Path> samples = new ArrayList<>();

    @Mixin
    Main.Common common = new Main.Common();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Override
    public Integer call() {
        RgbImage ref = measurable(Images.read(reference), reference);
        List<Path> mapFiles = maps == null ? List.of() : mapFiles();
        List<RgbImage> imgs = new ArrayList<>();
        for (Path p : samples) {
            RgbImage s = measurable(Images.read(p), p);
            if (!imgs.isEmpty() && (s.width() != imgs.get(0).width() || s.height() != imgs.get(0).height())) {
                throw new UserInputException(p + " is " + s.width() + "x" + s.height() + "; all samples must have one size.");
            }
            imgs.add(s);
        }
        try (Backbone b = modelOptions.load()) {
            ImagineEngine engine = modelOptions.engine(b);
            int target = engine.classify(ref, 1).get(0).index();
            int[] predicted = imgs.stream().mapToInt(s -> engine.classifySample(s, 1).get(0).index()).toArray();
            Quality q = new Quality(b, ModelStore.spec(b.id()).evaluationTaps(), b.defaultTaps());
            Quality.Scores s = q.score(ref, target, imgs, predicted);
            System.out.printf(Locale.ROOT, "class\t%d\t%s%n", target, engine.label(target));
            System.out.printf(Locale.ROOT, "class_agreement\t%.3f%nrobust_agreement\t%.3f%n", s.classAgreement(),
                    s.robustAgreement());
            List<String> taps = q.sifidTaps();
            for (int i = 0; i < taps.size(); i++) {
                System.out.printf(Locale.ROOT, "sifid_%s\t%.4f%n", taps.get(i), s.sifid()[i]);
            }
            System.out.printf(Locale.ROOT, "feature_distance\t%.5f%ndiversity\t%s%ncopy_score\t%.4f%n", s.featureDistance(),
                    Double.isNaN(s.diversity()) ? "n/a (needs two samples)" : String.format(Locale.ROOT, "%.4f", s.diversity()),
                    s.copyScore());
            // At the samples' scale, as they are judged: a 1411 px micrograph at its own size took minutes of windows.
            RgbImage refAtScale = ref.scaledToArea(imgs.get(0).width(), imgs.get(0).height());
            System.out.printf(Locale.ROOT, "largest_region\treference\t%.3f%n",
                    EvidenceRegions.largestShare(b, refAtScale, target));
            Artifacts.Baseline baseline = Artifacts.baseline(ref, imgs.get(0).width(), imgs.get(0).height()); // one size, checked above
            for (int i = 0; i < imgs.size(); i++) {
                Artifacts.Found found = baseline.find(imgs.get(i));
                Artifacts.Scores a = found.scores();
                float[] evidence = EvidenceRegions.map(b, imgs.get(i), target);
                System.out.printf(Locale.ROOT,
                        "artifacts\t%s\tstraight_edges %.3f\tworst_band_grain %.3f\toff_palette %.4f\tlargest_region %.3f%n",
                        samples.get(i).getFileName(), a.straightEdges(), a.worstBandGrain(), a.offPalette(),
                        EvidenceRegions.largestShare(evidence, imgs.get(i).width(), imgs.get(i).height()));
                if (maps != null) {
                    writeMap(mapFiles.get(i), MeasureMaps.draw(found, imgs.get(i), evidence));
                }
            }
        }
        return 0;
    }

    /** The smallest side the measures read (the engine's smallest output): below it windows and bands are empty. */
    static final int MIN_SIDE = 32;

    private static RgbImage measurable(RgbImage img, Path file) {
        if (img.width() < MIN_SIDE || img.height() < MIN_SIDE) {
            throw new UserInputException(file + " is " + img.width() + "x" + img.height() + " pixels; score needs images of at "
                    + "least " + MIN_SIDE + "x" + MIN_SIDE + ".");
        }
        return img;
    }

    /**
     * Each sample's map file, checked before any work: never over an existing file, and never two
     * samples onto one name; the folder is made if needed.
     */
    private List<Path> mapFiles() {
        try {
            Files.createDirectories(maps);
        } catch (IOException e) {
            throw new UserInputException("Cannot create the --maps folder " + maps + ": " + imagine.batch.Writable.reason(e));
        }
        List<Path> files = new ArrayList<>();
        for (Path sample : samples) {
            Path target = maps.resolve(sample.getFileName().toString().replaceFirst("\\.[^.]+$", "") + "-measures.png");
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) || files.contains(target)) {
                throw new UserInputException(target + (files.contains(target) ? " would be written for two samples of the "
                        + "same name" : " already exists") + "; give --maps an empty folder (nothing is overwritten).");
            }
            files.add(target);
        }
        return files;
    }

    /** Never over an existing file (one made meanwhile is refused at the write). */
    private static void writeMap(Path target, BufferedImage picture) {
        try {
            NumberedFiles.writeNew(target, out -> ImageIO.write(picture, "png", out));
            System.out.println("measures\t" + target);
        } catch (FileAlreadyExistsException e) {
            throw new UserInputException(target + " already exists; give --maps an empty folder.");
        } catch (IOException e) {
            throw new UserInputException("Cannot write " + target + ": " + e.getMessage());
        }
    }
}
