package imagine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.controls.Target;
import imagine.eval.EvidenceMap;
import imagine.image.Mask;
import imagine.image.RgbImage;
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
@org.junit.jupiter.api.Tag("slow") // whole syntheses at full size: left out of the fast loop (-Pfast)
class PlacementTest {

    /** ImageNet splits chelsea's kind of cat into near-synonyms; their probabilities count together. */
    static final int[] CAT = {281, 282, 285};

    static ImagineEngine engine;
    static RgbImage chelsea;

    /**
     * Single-threaded, so a failure can be replayed on the machine that saw it (docs/command-line.md, seeds).
     * Bit-exactness does not carry across CPUs, though: another vector unit sums in another order, and one seed that
     * placed the cat well here lost it on the CI machine (p 0.002 in the box). So each control is
     * judged on three seeds optimized together, by the median of each measure: the mechanism must
     * work for most seeds, not for one lucky one. 18 runs here (3 CPU capabilities x 6 seeds) gave
     * p(cat) in the box 0.55-0.94, IoU 0.34-0.88: the thresholds leave room below those.
     */
    @BeforeAll
    static void load() throws Exception {
        engine = ImagineEngine.builder(TestModels.mobilenet()).optThreads(1).build();
        chelsea = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile()));
    }

    static final int SEEDS = 3;

    @Test
    void targetBoxInACornerHoldsTheObject() {
        float[] before = chelsea.planes().clone();
        Controls controls = Controls.none().withTarget(new Target.Box(0, 0, 112, 112));
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(224, 224).iterations(400).seed(3)
                .samples(SEEDS).build();
        SynthesisResult r = engine.synthesize(chelsea, controls, cfg, ProgressListener.NONE, new CancellationToken());
        double[] inBox = new double[SEEDS];
        double[] worstOther = new double[SEEDS];
        double[] iou = new double[SEEDS];
        for (int i = 0; i < SEEDS; i++) {
            RgbImage out = r.samples().get(i);
            save(out, "placement-box-" + i + ".png");
            inBox[i] = EvidenceMap.inBox(engine.backbone(), out, CAT, 0, 0, 112, 112);
            worstOther[i] = Math.max(EvidenceMap.inBox(engine.backbone(), out, CAT, 112, 0, 112, 112),
                    Math.max(EvidenceMap.inBox(engine.backbone(), out, CAT, 0, 112, 112, 112),
                            EvidenceMap.inBox(engine.backbone(), out, CAT, 112, 112, 112, 112)));
            float[] map = EvidenceMap.of(engine.backbone(), out, CAT, 112, 14);
            iou[i] = EvidenceMap.agreement(map, r.placement().targetUnion(), 0.5).iou();
            System.out.printf(Locale.ROOT, "box, seed %d: p(cat) in box %.3f, other quadrants at most %.3f; IoU %.3f%n",
                    r.seeds()[i], inBox[i], worstOther[i], iou[i]);
        }
        assertTrue(median(inBox) > 0.3, "the box shows a cat: median p " + median(inBox));
        assertTrue(median(worstOther) < median(inBox) / 4, "the other quadrants do not: median " + median(worstOther));
        assertTrue(median(iou) > 0.3, "thresholded evidence overlaps the box: median IoU " + median(iou));
        assertArrayEquals(before, chelsea.planes(), "the reference is never modified");
    }

    @Test
    void horseSilhouetteShapesTheObject() throws Exception {
        Mask horse = Mask.fromImage(RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("horse.png").toFile())));
        Controls controls = Controls.none().withTarget(new Target.Shape(horse));
        // The output takes the silhouette's aspect ratio (272x224 ~ 400x328); the mask is resampled.
        ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(272, 224).seed(2).samples(SEEDS).build();
        SynthesisResult r = engine.synthesize(chelsea, controls, cfg, ProgressListener.NONE, new CancellationToken());
        Mask target = r.placement().targetUnion();
        double[] p = r.targetProbabilities();
        double[] ratio = new double[SEEDS];
        double[] iou = new double[SEEDS];
        double[] edgeRatio = new double[SEEDS];
        for (int i = 0; i < SEEDS; i++) {
            RgbImage out = r.samples().get(i);
            save(out, "placement-horse-" + i + ".png");
            EvidenceMap.Agreement a = EvidenceMap.agreement(EvidenceMap.of(engine.backbone(), out, CAT, 112, 14), target, 0.5);
            // The silhouette is filled with the object's texture, the rest is a smooth backdrop.
            double[] edge = edgeEnergy(out, target);
            ratio[i] = a.meanInside() / a.meanOutside();
            iou[i] = a.iou();
            edgeRatio[i] = edge[0] / edge[1];
            System.out.printf(Locale.ROOT, "horse, seed %d: IoU %.3f, evidence in %.3f out %.3f; edge energy in %.4f out %.4f; p(cat) %.3f%n",
                    r.seeds()[i], a.iou(), a.meanInside(), a.meanOutside(), edge[0], edge[1], p[i]);
        }
        assertTrue(median(p) > 0.3, "the output shows the reference's class: median p " + median(p));
        assertTrue(median(ratio) > 1.2, "more class evidence inside the silhouette: median in/out " + median(ratio));
        assertTrue(median(iou) > 0.15, "thresholded evidence overlaps the silhouette: median IoU " + median(iou));
        assertTrue(median(edgeRatio) > 2, "texture inside, smooth outside: median edge energy in/out " + median(edgeRatio));
    }

    static double median(double[] v) {
        return new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(v); // SEEDS is odd: the middle value
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
