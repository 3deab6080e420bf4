package imagine.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import imagine.TestModels;
import imagine.TestTools;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.controls.Target;
import imagine.image.RgbImage;
import imagine.model.Engines;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A garbage collection between the forward and the backward pass of every step changes nothing:
 * the run equals one without, bit for bit, and no step is skipped. Before the objective's numbers
 * were made by {@link imagine.model.Scalars}, a collection there freed scalars that autograd still
 * read (the robust view's gain, the tap weights, every term's weight), and a run under collector
 * pressure rejected dozens of absurd steps and still took smaller wrong ones.
 */
class ForcedCollectionTest {

    static RgbImage chelsea;

    @BeforeAll
    static void load() throws Exception {
        chelsea = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile()));
    }

    /** Collects and overwrites freed native memory inside every step, before the backward pass. */
    static final class Collector implements SynthesisListener {
        int collections;

        @Override
        public void beforeBackward(int iteration) {
            TestTools.collectAndScribble();
            collections++;
        }
    }

    record Case(String name, ImagineConfig config, Controls controls) {}

    /**
     * Every weighted term, the robust view and the adversarial term's levels (weights other than 1),
     * and position control (the region class term divides by the number of targets).
     */
    @Test
    void aCollectionInsideEveryStepChangesNothing() {
        ImagineConfig plain = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(64, 64).iterations(24).samples(2)
                .seed(5).set("coarse_fraction", 0.5).set("adversarial_weight", 0.1).set("adversarial_start", 0)
                .set("disc_every", 1).build();
        ImagineConfig box = plain.toBuilder().samples(1).set("adversarial_weight", 0.0).build();
        Controls boxes = Controls.none().withTarget(new Target.Box(0, 0, 32, 32)).withTarget(new Target.Box(32, 32, 32, 32));
        for (Case c : List.of(new Case("plain", plain, Controls.none()), new Case("two boxes", box, boxes))) {
            String name = c.name();
            ImagineConfig cfg = c.config();
            Controls controls = c.controls();
            Collector collector = new Collector();
            SynthesisResult quiet;
            SynthesisResult collected;
            try (var oneThread = Engines.withThreads(1)) {
                quiet = ImagineEngine.builder(TestModels.mobilenet()).optThreads(1).build()
                        .synthesize(chelsea, controls, cfg, ProgressListener.NONE, new CancellationToken());
                collected = ImagineEngine.builder(TestModels.mobilenet()).optThreads(1).addListener(collector).build()
                        .synthesize(chelsea, controls, cfg, ProgressListener.NONE, new CancellationToken());
            }
            assertEquals(cfg.schedule().iterations(), collector.collections, name + ": the listener ran in every step");
            assertEquals(0, collected.timings().skippedSteps(), name + ": no step was skipped under collections");
            assertEquals(0, quiet.timings().skippedSteps(), name + ": none without them either");
            for (int i = 0; i < quiet.samples().size(); i++) {
                assertArrayEquals(quiet.samples().get(i).planes(), collected.samples().get(i).planes(),
                        name + ", sample " + i + ": the same pixels with and without collections");
            }
        }
    }
}
