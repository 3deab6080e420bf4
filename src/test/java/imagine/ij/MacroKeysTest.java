package imagine.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MacroKeysTest {

    @Test
    void parsesValuesBracketsAndFlags() {
        assertEquals(List.of("samples", "models_folder", "flag", "seed"),
                MacroKeys.keys("samples=2 models_folder=[/a b/c=d] flag seed=3 "));
    }

    @Test
    void misspelledKeyIsNamed() {
        List<String> keys = new SynthesizePlugin().keys();
        String m = MacroKeys.unknown("samples=2 itterations=5", keys);
        assertTrue(m.contains("'itterations'") && m.contains("iterations"), m);
        assertNull(MacroKeys.unknown("samples=2 iterations=5 models_folder=[x y] settings=[jitter=8 flips=false]", keys));
        assertNull(MacroKeys.unknown(null, keys), "not from a macro");
    }

    @Test
    void theKeysAreTheDialogsFieldsInOrderAndNeverRenamed() {
        // Users' macros and recorded lines use these: adding is fine, renaming or removing breaks them.
        // The order is the dialog's (recorded lines follow it); a macro may give the keys in any order.
        assertEquals(List.of("samples", "width", "height", "preset", "model", "class", "iterations", "seed",
                "models_folder", "settings", "all_slices", "preview"), new SynthesizePlugin().keys());
        assertEquals("targets", new PositionControlPlugin().keys().get(12));
        assertEquals(List.of("targets", "mask"), new ShapeControlPlugin().keys().subList(12, 14));
    }
}
