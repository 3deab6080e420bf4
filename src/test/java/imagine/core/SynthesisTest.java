package imagine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.UserInputException;
import imagine.config.ImagineConfig;
import imagine.eval.Artifacts;
import imagine.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End to end on the real MobileNet, at small sizes so the suite stays fast on two cores. */
@org.junit.jupiter.api.Tag("slow") // whole syntheses at full size: left out of the fast loop (-Pfast)
class SynthesisTest {

    static ImagineEngine engine;
    static RgbImage chelsea;

    @BeforeAll
    static void load() throws Exception {
        engine = new ImagineEngine(TestModels.mobilenet());
        chelsea = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile()));
    }

    @Test
    void synthesisLowersTheLossAndKeepsTheReferenceClass() {
        float[] before = chelsea.planes().clone();
        // The default objective (no adversarial term). 160 px and 400 iterations: at 128 px with 300
        // the class term missed once in ~20 runs.
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(160, 160).iterations(400).samples(2).seed(5)
                .build();
        List<Progress> reports = new ArrayList<>();
        SynthesisResult r = engine.synthesize(chelsea, cfg, reports::add, new CancellationToken());

        int refClass = engine.classify(chelsea, 1).get(0).index();
        assertEquals(285, refClass, "chelsea is an Egyptian cat for this MobileNet");
        assertEquals(refClass, r.targetClass());
        assertFalse(r.cancelled());
        assertEquals(cfg.schedule().iterations(), r.iterationsDone());
        assertEquals(2, r.samples().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(refClass, r.predictedClasses()[i], "sample " + i + " p(target)=" + r.targetProbabilities()[i]);
            assertEquals(160, r.samples().get(i).width());
        }
        // Loss terms fall: the class term from the first report to the last, the feature term too.
        Progress first = reports.get(0);
        Progress last = reports.get(reports.size() - 1);
        assertTrue(last.losses().get("class") < 0.1 * first.losses().get("class"), first.losses() + " -> " + last.losses());
        assertTrue(last.losses().get("features") < 0.5 * first.losses().get("features"), first.losses() + " -> " + last.losses());
        // Diverse, and not a copy of the reference.
        RgbImage a = r.samples().get(0);
        RgbImage b = r.samples().get(1);
        assertTrue(a.meanAbsDifference(b) > 0.05, "samples differ: " + a.meanAbsDifference(b));
        assertTrue(a.meanAbsDifference(chelsea.resize(160, 160)) > 0.05, "not a copy of the reference");
        assertArrayEquals(before, chelsea.planes(), "the reference is never modified");
    }

    /**
     * No band of noise along the borders and no box inside them, by the measures `score` reports
     * (issue 24). The fundus photograph's flat black surround made it the worst case for grain
     * (issue 14): with the margin left unsmoothed its border bands had 1.6x to 9.3x the interior's
     * high-frequency energy; here 1.18 and 1.19 (the worst of the four bands). Frame-sized views
     * (views_hold_frame=false) drew a line about the jitter inside the border: straight edges 1.50
     * times the reference's strongest on seed 5; with views that hold the frame 0.71 and 0.75.
     */
    @Test
    void noGrainAtTheBordersAndNoBoxInside() throws Exception {
        RgbImage retina = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("retina.jpg").toFile()));
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(160, 160).iterations(400).samples(2)
                .seed(5).build();
        for (RgbImage s : engine.synthesize(retina, cfg, ProgressListener.NONE, new CancellationToken()).samples()) {
            Artifacts.Scores a = Artifacts.of(retina, s);
            assertTrue(a.worstBandGrain() < GRAIN_LIMIT, "worst border band's grain / interior's: " + a);
            assertTrue(a.straightEdges() < EDGE_LIMIT, "strongest straight edge / the reference's: " + a);
        }
    }

    /**
     * No grain in the corners of a photo with flat areas (issue 24): feature statistics leave out
     * the band whose activations see the classifier's zero padding (feature_border). Matched there,
     * they drew speckle into the camera photo's corners. Single samples swing with the processor's
     * summation order (0.87 to 1.20 with the band, 0.94 to 1.42 without, over 1 and 2 threads), so
     * the mean of four samples is judged: 0.96 and 0.93 with the band, 1.22 and 1.21 without it
     * (this configuration, 1 and 2 threads).
     */
    @Test
    void noGrainInTheCornersOfAFlatPhoto() throws Exception {
        RgbImage camera = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("camera.png").toFile()));
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(160, 160).iterations(400).samples(4)
                .seed(5).build();
        List<Artifacts.Scores> scores = new ArrayList<>();
        for (RgbImage s : engine.synthesize(camera, cfg, ProgressListener.NONE, new CancellationToken()).samples()) {
            scores.add(Artifacts.of(camera, s));
        }
        double mean = scores.stream().mapToDouble(Artifacts.Scores::worstBandGrain).average().orElseThrow();
        assertTrue(mean < CORNER_GRAIN_LIMIT, "mean of the worst border band's grain / interior's: " + mean + " " + scores);
    }

    static final double CORNER_GRAIN_LIMIT = 1.1;
    static final double GRAIN_LIMIT = 1.5;
    static final double EDGE_LIMIT = 1.2;

    /**
     * The patch-adversarial term (off by default, issue 14) still runs: the discriminator trains
     * beside the image, both losses are reported, finite, and the image still moves toward the
     * class. Whether it ends in the class is not asked: with the term on, one run in a few stalled
     * (class loss stuck at 7.7) depending on the CPU's summation order, which is why it is off.
     */
    @Test
    void adversarialTermTrainsItsDiscriminatorBesideTheImage() {
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(96, 96).iterations(160).seed(5)
                .set("adversarial_weight", 0.1).set("adversarial_start", 0.25).build();
        List<Progress> reports = new ArrayList<>();
        SynthesisResult r = engine.synthesize(chelsea, cfg, reports::add, new CancellationToken());
        assertEquals(cfg.schedule().iterations(), r.iterationsDone());
        Progress last = reports.get(reports.size() - 1);
        assertTrue(last.losses().containsKey("adversarial") && last.losses().containsKey("disc"), "all terms reported: " + last.losses());
        for (String k : List.of("class", "features", "adversarial", "disc")) {
            assertTrue(Double.isFinite(last.losses().get(k)), k + " is finite: " + last.losses());
        }
        List<Double> disc = reports.stream().map(p -> p.losses().get("disc")).filter(java.util.Objects::nonNull).toList();
        assertTrue(disc.size() >= 2 && !disc.get(0).equals(disc.get(disc.size() - 1)), "the discriminator trains: " + disc);
        // Means of the first and last five reports: one step's class loss swings by +-0.5 with its views.
        // 160 iterations: at 96 px the class term only starts to move after about 100 (measured).
        List<Double> cls = reports.stream().map(p -> p.losses().get("class")).toList();
        double start = cls.subList(0, 5).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double end = cls.subList(cls.size() - 5, cls.size()).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(end < 0.5 * start, "toward the class: class loss " + start + " -> " + end);
    }

    @Test
    void sameSeedSameResultOtherSeedOtherResult() {
        // Byte-identical with one CPU thread (docs/command-line.md, seeds). With several threads libtorch promises
        // no fixed summation order (before the scalar fix, 1 in 7 such runs differed; that
        // measurement mixed both causes), so the thread count stays at one for all three runs.
        try (var oneThread = imagine.model.Engines.withThreads(1)) {
            checkSameSeedSameResult(ImagineEngine.builder(TestModels.mobilenet()).optThreads(1).build());
        }
    }

    private void checkSameSeedSameResult(ImagineEngine engine) {
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(64, 64).iterations(40).seed(11)
                .set("adversarial_start", 0.25).build();
        RgbImage a = engine.synthesize(chelsea, cfg, ProgressListener.NONE, new CancellationToken()).samples().get(0);
        RgbImage b = engine.synthesize(chelsea, cfg, ProgressListener.NONE, new CancellationToken()).samples().get(0);
        RgbImage c = engine.synthesize(chelsea, cfg.toBuilder().seed(12).build(), ProgressListener.NONE,
                new CancellationToken()).samples().get(0);
        assertArrayEquals(a.planes(), b.planes(), "same seed and settings give the same sample");
        assertTrue(a.meanAbsDifference(c) > 0.02, "another seed gives another sample");
    }

    @Test
    void cancelStopsWithinOneIterationAndKeepsSamples() {
        CancellationToken cancel = new CancellationToken();
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(64, 64).iterations(200).build();
        int[] seen = new int[1];
        SynthesisResult r = engine.synthesize(chelsea, cfg, p -> {
            seen[0] = p.iteration();
            if (p.iteration() >= 20) {
                cancel.cancel();
            }
        }, cancel);
        assertTrue(r.cancelled());
        assertEquals(seen[0], r.iterationsDone(), "no iteration after the cancel");
        assertTrue(r.iterationsDone() >= 20 && r.iterationsDone() < 200);
        assertEquals(1, r.samples().size(), "partial samples are kept");
        assertEquals(64, r.samples().get(0).width(), "at the requested size even when cancelled in the coarse stage");
    }

    @Test
    void unknownClassIsRefusedBeforeWork() {
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).targetClass(1000).build();
        var e = assertThrows(UserInputException.class,
                () -> engine.synthesize(chelsea, cfg, ProgressListener.NONE, new CancellationToken()));
        assertTrue(e.getMessage().contains("0 to 999"), e.getMessage());
    }

    @Test
    void explicitClassIsTheTarget() {
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(64, 64).iterations(5).targetClass(19).build();
        SynthesisResult r = engine.synthesize(chelsea, cfg, ProgressListener.NONE, new CancellationToken());
        assertEquals(19, r.targetClass());
        assertEquals("chickadee", r.targetLabel());
    }

    @Test
    void lostSamplesAreRunOnceMoreAndTheBetterTryKept() {
        // retry_below 1 treats every sample as lost, so the second try always runs.
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(32, 32).iterations(200).samples(2)
                .seed(21).set("retry_below", 1.0).set("coarse_fraction", 0).set("coarse_divisor", 1).build();
        List<String> stages = new ArrayList<>();
        SynthesisResult r = engine.synthesize(chelsea, cfg, p -> stages.add(p.stage()), new CancellationToken());
        assertEquals(2, r.timings().retriedSamples());
        assertTrue(stages.stream().anyMatch(s -> s.startsWith("retry of 2 lost sample(s)")), "progress says so");
        ImagineConfig once = cfg.toBuilder().set("retry_below", 0).build();
        SynthesisResult first = engine.synthesize(chelsea, once, ProgressListener.NONE, new CancellationToken());
        for (int i = 0; i < 2; i++) {
            long seed = r.seeds()[i];
            assertTrue(seed == 21 + i || seed == 21 + i + ImagineEngine.RETRY_SEED_OFFSET, "seed " + seed);
            // Multi-threaded runs differ in the last bits, so compare with a margin.
            assertTrue(r.targetProbabilities()[i] >= first.targetProbabilities()[i] - 0.05,
                    r.targetProbabilities()[i] + " vs one try " + first.targetProbabilities()[i]);
        }
        assertEquals(cfg.schedule().iterations(), r.iterationsDone());
    }
}
