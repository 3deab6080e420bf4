package imagine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Position and shape control put the object where asked, measured independently of the
 * objective: the backbone's probability of the cat classes when only part of the output is
 * visible (sliding windows kept at scale on gray; see {@link EvidenceMap}).
 */
class PlacementTest {

    /** ImageNet splits chelsea's kind of cat into near-synonyms; their probabilities count together. */
    static final int[] CAT = {281, 282, 285};

    static ImagineEngine engine;
    static RgbImage chelsea;

    /**
     * Single-threaded, so a run is reproducible: with several CPU threads the summation order, and
     * so the result of one seed, can change from run to run, and about one multi-threaded controlled
     * run in 30 loses its object (measured in issue 4; the engine's retry_below catches those, but
     * this test's 400 iterations are too few to converge reliably). This test checks the placement
     * mechanism, not that instability.
     */
    @BeforeAll
    static void load() throws Exception {
        engine = ImagineEngine.builder(TestModels.mobilenet()).optThreads(1).build();
        chelsea = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile()));
    }

    @Test
    void targetBoxInACornerHoldsTheObject() {
        float[] before = chelsea.planes().clone();
        Controls controls = Controls.none().withTarget(new Target.Box(0, 0, 112, 112));
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(224, 224).iterations(400).seed(3).build();
        SynthesisResult r = engine.synthesize(chelsea, controls, cfg, ProgressListener.NONE, new CancellationToken());
        RgbImage out = r.samples().get(0);
        save(out, "placement-box.png");

        double inBox = EvidenceMap.inBox(engine.backbone(), out, CAT, 0, 0, 112, 112);
        double[] others = {
            EvidenceMap.inBox(engine.backbone(), out, CAT, 112, 0, 112, 112),
            EvidenceMap.inBox(engine.backbone(), out, CAT, 0, 112, 112, 112),
            EvidenceMap.inBox(engine.backbone(), out, CAT, 112, 112, 112, 112)};
        float[] map = EvidenceMap.of(engine.backbone(), out, CAT, 112, 14);
        EvidenceMap.Agreement a = EvidenceMap.agreement(map, r.placement().targetUnion(), 0.5);
        System.out.printf(Locale.ROOT, "box: p(cat) in box %.3f, other quadrants %.3f %.3f %.3f; IoU %.3f, mean in %.3f out %.3f%n",
                inBox, others[0], others[1], others[2], a.iou(), a.meanInside(), a.meanOutside());
        assertTrue(inBox > 0.3, "the box shows a cat: p=" + inBox);
        for (double o : others) {
            assertTrue(o < inBox / 4, "the other quadrants do not: " + o + " vs " + inBox);
        }
        assertTrue(a.iou() > 0.4, "thresholded evidence overlaps the box: IoU " + a.iou());
        assertArrayEquals(before, chelsea.planes(), "the reference is never modified");
    }

    @Test
    void horseSilhouetteShapesTheObject() throws Exception {
        Mask horse = Mask.fromImage(RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("horse.png").toFile())));
        Controls controls = Controls.none().withTarget(new Target.Shape(horse));
        // The output takes the silhouette's aspect ratio (272x224 ~ 400x328); the mask is resampled.
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(272, 224).seed(2).build();
        SynthesisResult r = engine.synthesize(chelsea, controls, cfg, ProgressListener.NONE, new CancellationToken());
        RgbImage out = r.samples().get(0);
        save(out, "placement-horse.png");
        Mask target = r.placement().targetUnion();

        float[] map = EvidenceMap.of(engine.backbone(), out, CAT, 112, 14);
        EvidenceMap.Agreement a = EvidenceMap.agreement(map, target, 0.5);
        // The silhouette is filled with the object's texture, the rest is a smooth backdrop.
        double[] edge = edgeEnergy(out, target);
        System.out.printf(Locale.ROOT, "horse: IoU %.3f, evidence in %.3f out %.3f; edge energy in %.4f out %.4f; p(cat) %.3f%n",
                a.iou(), a.meanInside(), a.meanOutside(), edge[0], edge[1], r.targetProbabilities()[0]);
        assertTrue(r.targetProbabilities()[0] > 0.3, "the output shows the reference's class: " + r.targetProbabilities()[0]);
        assertTrue(a.meanInside() > 1.3 * a.meanOutside(), "more class evidence inside the silhouette: " + a);
        assertTrue(a.iou() > 0.2, "thresholded evidence overlaps the silhouette: IoU " + a.iou());
        assertTrue(edge[0] > 2 * edge[1], "texture inside, smooth outside: " + edge[0] + " vs " + edge[1]);
    }

    /** Kept in target/ for a look when an assertion fails. */
    static void save(RgbImage img, String name) {
        try {
            ImageIO.write(img.toBufferedImage(), "png", java.nio.file.Path.of("target", name).toFile());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Mean absolute neighbour difference inside and outside a mask (pixels well inside each, 3 px margin). */
    static double[] edgeEnergy(RgbImage img, Mask m) {
        double[] sum = new double[2];
        long[] n = new long[2];
        int w = img.width();
        int h = img.height();
        for (int y = 3; y < h - 3; y++) {
            for (int x = 3; x < w - 3; x++) {
                boolean in = m.get(x, y) >= 0.5f;
                boolean clear = true;
                for (int d : List.of(-3, 3)) {
                    clear &= (m.get(x + d, y) >= 0.5f) == in && (m.get(x, y + d) >= 0.5f) == in;
                }
                if (!clear) {
                    continue;
                }
                double e = 0;
                for (int c = 0; c < 3; c++) {
                    e += Math.abs(img.get(c, x + 1, y) - img.get(c, x, y)) + Math.abs(img.get(c, x, y + 1) - img.get(c, x, y));
                }
                sum[in ? 0 : 1] += e;
                n[in ? 0 : 1]++;
            }
        }
        return new double[] {sum[0] / n[0], sum[1] / n[1]};
    }
}
