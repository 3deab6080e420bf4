package imagine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagineConfigTest {

    @ParameterizedTest
    @CsvSource({"width, 0", "width, 100000", "height, -3", "samples, 0", "samples, 10000", "iterations, 0",
        "feature_weight, NaN", "learning_rate, -1", "adversarial_weight, Infinity", "disc_crop, 4"})
    void absurdValuesAreRefusedWithTheirName(String key, String value) {
        var e = assertThrows(IllegalArgumentException.class, () -> ImagineConfig.preset(ImagineConfig.Preset.DEFAULT)
                .set(key, value).build());
        String readable = key.replace('_', ' ').replace("disc ", "discriminator ");
        assertTrue(e.getMessage().toLowerCase().contains(readable.split(" ")[0]), e.getMessage());
    }

    @Test
    void everyKnobRoundTripsThroughItsName() {
        ImagineConfig c = ImagineConfig.preset(ImagineConfig.Preset.QUALITY).seed(7).taps(List.of("a", "b")).build();
        ImagineConfig.Builder b = ImagineConfig.preset(ImagineConfig.Preset.FAST);
        c.toMap().forEach((k, v) -> b.set(k, v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                : String.valueOf(v)));
        assertEquals(c.toMap(), b.build().toMap());
    }

    @Test
    void presetsDifferInBudget() {
        assertTrue(ImagineConfig.preset(ImagineConfig.Preset.FAST).build().iterations
                < ImagineConfig.defaults().iterations);
        assertTrue(ImagineConfig.defaults().iterations < ImagineConfig.preset(ImagineConfig.Preset.QUALITY).build().iterations);
        assertEquals(ImagineConfig.Preset.QUALITY, ImagineConfig.Preset.parse(" Quality "));
        assertThrows(IllegalArgumentException.class, () -> ImagineConfig.Preset.parse("best"));
        assertThrows(IllegalArgumentException.class, () -> ImagineConfig.defaults().toBuilder().set("colour", "1"));
    }
}
