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
        String m = MacroKeys.unknown("samples=2 itterations=5", ImagineCommand.KEYS);
        assertTrue(m.contains("'itterations'") && m.contains("iterations"), m);
        assertNull(MacroKeys.unknown("samples=2 iterations=5 models_folder=[x y]", ImagineCommand.KEYS));
        assertNull(MacroKeys.unknown(null, ImagineCommand.KEYS), "not from a macro");
    }
}
