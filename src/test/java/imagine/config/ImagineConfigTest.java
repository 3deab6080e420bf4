package imagine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.UserInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagineConfigTest {

    @ParameterizedTest
    @CsvSource({"width, 0", "width, 100000", "height, -3", "samples, 0", "samples, 10000", "iterations, 0",
        "feature_weight, NaN", "learning_rate, -1", "adversarial_weight, Infinity", "disc_crop, 4", "disc_crop, 8",
        "samples, 2.5", "flips, maybe", "tap_weights, '1,x'"})
    void absurdValuesAreRefusedWithTheirName(String key, String value) {
        var e = assertThrows(UserInputException.class, () -> ImagineConfig.preset(ImagineConfig.Preset.DEFAULT)
                .set(key, value).build());
        assertTrue(e.getMessage().startsWith(key + " "), e.getMessage());
    }

    @Test
    void everyKnobRoundTripsThroughItsName() {
        ImagineConfig c = ImagineConfig.preset(ImagineConfig.Preset.QUALITY).seed(7).set("taps", List.of("a", "b"))
                .set("flips", false).set("tap_weights", "2;1").build();
        ImagineConfig.Builder b = ImagineConfig.preset(ImagineConfig.Preset.FAST);
        c.toMap().forEach((k, v) -> b.set(k, v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(v)));
        assertEquals(c.toMap(), b.build().toMap());
        assertEquals(c, b.build(), "records compare by value");
        assertEquals(List.of(2.0, 1.0), c.weights().tapWeights());
    }

    @Test
    void theTableNamesEveryKnobOnceWithHelpAndAParsableDefault() {
        Set<String> names = new HashSet<>();
        for (ImagineConfig.Setting s : ImagineConfig.settings()) {
            assertTrue(names.add(s.name()), "duplicate " + s.name());
            assertFalse(s.help().isBlank(), s.name());
            assertTrue(s.name().matches("[a-z][a-z0-9_]*"), s.name());
        }
        assertEquals(names, ImagineConfig.defaults().toMap().keySet(), "toMap has exactly the table's knobs");
        // The names users' macros and --set lines use must stay.
        assertTrue(names.containsAll(List.of("width", "height", "samples", "iterations", "seed", "target_class", "model",
                "taps", "learning_rate", "tv_l2_weight", "feature_weight", "tap_weights", "adversarial_weight",
                "adversarial_start", "disc_crop", "disc_every", "retry_below", "background_tv_weight")));
        String help = ImagineConfig.help();
        assertTrue(help.contains("disc_crop") && help.contains("6 to 4096"), help);
    }

    @Test
    void crossKnobChecksNameBothKnobs() {
        var e = assertThrows(UserInputException.class, () -> ImagineConfig.defaults().toBuilder().set("disc_layers", 8)
                .set("disc_crop", 12).build());
        assertTrue(e.getMessage().contains("disc_crop") && e.getMessage().contains("disc_layers"), e.getMessage());
    }

    @Test
    void theDocumentedTableIsTheGeneratedOne() throws Exception {
        String doc = Files.readString(Path.of("docs/settings.md"));
        assertTrue(doc.contains(ImagineConfig.markdownTable()), "docs/settings.md's settings table is out of date; replace "
                + "it with the output of: java -jar target/imagine.jar settings --markdown");
    }

    @Test
    void presetsDifferInBudget() {
        int fast = ImagineConfig.preset(ImagineConfig.Preset.FAST).build().schedule().iterations();
        int normal = ImagineConfig.defaults().schedule().iterations();
        int quality = ImagineConfig.preset(ImagineConfig.Preset.QUALITY).build().schedule().iterations();
        assertTrue(fast < normal && normal < quality);
        assertEquals(ImagineConfig.Preset.QUALITY, ImagineConfig.Preset.parse(" Quality "));
        assertThrows(UserInputException.class, () -> ImagineConfig.Preset.parse("best"));
        var e = assertThrows(UserInputException.class, () -> ImagineConfig.defaults().toBuilder().set("colour", "1"));
        assertTrue(e.getMessage().contains("Known settings: width, height"), e.getMessage());
    }
}
