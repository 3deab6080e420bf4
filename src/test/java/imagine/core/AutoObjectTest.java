package imagine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.controls.Target;
import imagine.image.RgbImage;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * auto_object=true: a plain run with a class term finds the object in the reference, keeps it where
 * the reference has it and says so in the sidecar; it leaves alone what the user decided (an
 * object or a target of their own, no class, the setting off, as it is by default). Short runs: what is checked is the
 * decision, not the look (docs/decisions.md has the measured effect).
 */
class AutoObjectTest {

    static ImagineEngine engine;
    static RgbImage chelsea;

    @BeforeAll
    static void load() throws Exception {
        engine = ImagineEngine.builder(TestModels.mobilenet()).optThreads(1).build();
        chelsea = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile()));
    }

    private static ImagineConfig.Builder shortRun() {
        return ImagineConfig.preset(ImagineConfig.Preset.FAST).size(96, 96).iterations(4).seed(1);
    }

    private static SynthesisResult run(Controls c, ImagineConfig cfg) {
        return engine.synthesize(chelsea, c, cfg, ProgressListener.NONE, new CancellationToken());
    }

    @Test
    void aPlainRunFindsTheObjectKeepsItInPlaceAndSaysSo() {
        float[] before = chelsea.planes().clone();
        SynthesisResult r = run(Controls.none(), shortRun().set("auto_object", "true").build());
        assertNotNull(r.foundObject(), "chelsea's cat fits class 285, so its head is found");
        assertEquals(chelsea.width(), r.foundObject().width());
        assertTrue(r.placement().controlled(), "the found object is matched where the reference has it");
        assertEquals(1, r.placement().instances().size());
        int[] b = r.foundObject().bounds();
        Map<?, ?> found = (Map<?, ?>) r.describe().get("found_object");
        assertNotNull(found, "the sidecar says where the object was found");
        assertEquals(java.util.Arrays.toString(b), java.util.Arrays.toString((int[]) found.get("bounds")));
        assertTrue(java.util.Arrays.equals(before, chelsea.planes()), "the reference is not modified");
    }

    @Test
    void whatTheUserDecidedStands() {
        SynthesisResult off = run(Controls.none(), shortRun().build());
        assertNull(off.foundObject(), "auto_object is off by default");
        assertTrue(!off.placement().controlled(), "the default is the plain method");
        assertNull(off.describe().get("found_object"));

        SynthesisResult noClass = run(Controls.none(), shortRun().set("auto_object", "true").set("class_weight", "0").build());
        assertNull(noClass.foundObject(), "without a class term there is no class evidence to find it by");

        Controls box = Controls.none().withTarget(new Target.Box(8, 8, 48, 48));
        SynthesisResult user = run(box, shortRun().set("auto_object", "true").build());
        assertNull(user.foundObject(), "the user's own target decides");
        assertEquals(1, user.placement().instances().size());
        assertEquals(48L * 48, user.placement().instances().get(0).area());
    }
}
