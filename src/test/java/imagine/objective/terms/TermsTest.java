package imagine.objective.terms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import imagine.config.ImagineConfig;
import imagine.objective.LossTerm;
import imagine.objective.Step;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The term table and the settings cannot drift apart; the engine's check reads the same table. */
class TermsTest {

    @Test
    void everyRowIsWeighedByASettingAndEveryWeightSettingHasARow() {
        Set<String> settings = ImagineConfig.defaults().toMap().keySet();
        Set<String> rows = Terms.ROWS.stream().map(Terms.Row::weight).collect(Collectors.toSet());
        assertTrue(settings.containsAll(rows), "rows weighed by settings that do not exist: " + rows);
        Set<String> weights = settings.stream().filter(k -> k.endsWith("_weight")).collect(Collectors.toSet());
        assertEquals(weights, rows, "a weight setting without a term, or a term without its setting");
    }

    @Test
    void theTermsOfARunAreTheRowsThatApplyToIt() {
        List<String> plain = Terms.ROWS.stream().filter(r -> r.appliesTo(false)).map(Terms.Row::weight).toList();
        List<String> regions = Terms.ROWS.stream().filter(r -> r.appliesTo(true)).map(Terms.Row::weight).toList();
        assertFalse(plain.contains("background_weight"), "the background terms need the user's targets");
        assertTrue(regions.containsAll(List.of("class_weight", "background_weight", "background_tv_weight")));
        assertFalse(regions.contains("layout_weight"), "targets say where things go, not the reference's layout");
        assertEquals(plain.size() + 1, regions.size());
    }

    @Test
    void anyTermWithAWeightIsSomethingToOptimize() {
        ImagineConfig.Builder b = ImagineConfig.defaults().toBuilder();
        Terms.ROWS.forEach(r -> b.set(r.weight(), 0.0));
        assertFalse(Terms.anyWeighed(b.build(), false));
        // The palette alone was refused by a hand-kept list that had forgotten it.
        assertTrue(Terms.anyWeighed(b.set("palette_weight", 1000.0).build(), false));
        ImagineConfig onlyBackground = ImagineConfig.defaults().toBuilder().set("class_weight", 0.0).set("tv_l2_weight", 0.0)
                .set("l2_weight", 0.0).set("feature_weight", 0.0).set("palette_weight", 0.0).build();
        assertFalse(Terms.anyWeighed(onlyBackground, false));
        assertTrue(Terms.anyWeighed(onlyBackground, true), "under controls the background terms count");
    }

    /** A term of one's own composes with the table's objective as any other (see docs/development.md). */
    static final class Brightness implements LossTerm {
        @Override
        public String name() {
            return "brightness";
        }

        @Override
        public NDArray loss(Step step) {
            return step.image().mean().sub(0.7f).abs();
        }
    }

    @Test
    void aTermOfOnesOwnHasANameAndALoss() {
        LossTerm t = new Brightness();
        assertEquals("brightness", t.name());
        assertEquals(Set.of(), t.taps(), "reads no layer unless it says so");
    }
}
