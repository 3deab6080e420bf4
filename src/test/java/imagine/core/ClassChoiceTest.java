package imagine.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.UserInputException;
import imagine.config.ImagineConfig;
import imagine.model.ModelStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassChoiceTest {

    private static final List<String> LABELS = ModelStore.imagenetLabels();

    @Test
    void wordsNumbersAndNames() {
        assertEquals(ClassChoice.REFERENCE, ClassChoice.parse("-1", LABELS));
        assertEquals(ClassChoice.REFERENCE, ClassChoice.parse("", LABELS));
        assertEquals(ClassChoice.REFERENCE, ClassChoice.parse("auto", LABELS));
        assertEquals(ClassChoice.NONE, ClassChoice.parse("None", LABELS));
        assertEquals(285, ClassChoice.parse("285", LABELS).index());
        assertEquals(281, ClassChoice.parse("tabby", LABELS).index(), "a synonym of 'tabby, tabby cat'");
        assertEquals(285, ClassChoice.parse("egyptian cat", LABELS).index());
        assertEquals(574, ClassChoice.parse("golf ball", LABELS).index());
    }

    @Test
    void unclearOrUnknownNamesSayWhatToGive() {
        String several = assertThrows(UserInputException.class, () -> ClassChoice.parse("cat", LABELS)).getMessage();
        assertTrue(several.contains("matches") && several.contains("281 tabby"), several);
        String none = assertThrows(UserInputException.class, () -> ClassChoice.parse("zzz", LABELS)).getMessage();
        assertTrue(none.contains("No class is called 'zzz'"), none);
        String crane = assertThrows(UserInputException.class, () -> ClassChoice.parse("crane", LABELS)).getMessage();
        assertTrue(crane.contains("134 crane") && crane.contains("517 crane"), "the bird and the machine: " + crane);
        String range = assertThrows(UserInputException.class, () -> ClassChoice.parse("1000", LABELS)).getMessage();
        assertTrue(range.contains("0 to 999"), range);
    }

    @Test
    void noneTurnsTheClassTermOff() {
        ImagineConfig none = ClassChoice.NONE.applyTo(ImagineConfig.preset(ImagineConfig.Preset.DEFAULT)).build();
        assertEquals(0.0, none.weights().classWeight());
        assertEquals(-1, none.output().targetClass());
        ImagineConfig tabby = ClassChoice.parse("tabby", LABELS).applyTo(ImagineConfig.preset(ImagineConfig.Preset.DEFAULT)).build();
        assertEquals(281, tabby.output().targetClass());
        assertEquals(1.0, tabby.weights().classWeight());
    }

    @Test
    void aClassFitsWhenTheTopFiveHoldMostOfTheProbability() {
        // As the engine reads them: chelsea 0.57 Egyptian cat, 0.24 tabby, ... (top five 1.00); grace_hopper
        // 0.33 military uniform, 0.31 suit, ... (0.88, a portrait: fits); cell 0.41 ping-pong ball, 0.24 golf ball (0.75).
        assertTrue(ClassChoice.fits(List.of(p(285, 0.57), p(281, 0.24), p(287, 0.10), p(282, 0.09))));
        assertTrue(ClassChoice.fits(List.of(p(652, 0.33), p(834, 0.31), p(457, 0.11), p(906, 0.10), p(451, 0.03))));
        assertFalse(ClassChoice.fits(List.of(p(722, 0.41), p(574, 0.24), p(783, 0.05), p(844, 0.03), p(111, 0.02))));
    }

    @Test
    void theRunsShareDecidesAndZeroLetsEveryReferenceFit() {
        List<Prediction> cell = List.of(p(722, 0.41), p(574, 0.24), p(783, 0.05), p(844, 0.03), p(111, 0.02));
        assertFalse(ClassFit.of(cell, ClassChoice.FITS_TOP5_SHARE).fits());
        assertTrue(ClassFit.of(cell, 0.7).fits());
        assertTrue(ClassFit.of(cell, 0).fits(), "class_fit_share 0: always the top-1");
        assertEquals(0.75, ClassFit.of(cell, 0.85).topShare(), 1e-9);
        assertEquals(722, ClassFit.of(cell, 0.85).best().index());
        String note = ClassFit.of(cell, 0.85).note();
        assertTrue(note.contains("75%") && note.contains("0.85") && note.contains("class term off"), note);
        assertEquals(ClassChoice.FITS_TOP5_SHARE, ImagineConfig.defaults().output().classFitShare(),
                "the dialog's proposal and the engine's fallback use one share");
    }

    private static Prediction p(int i, double prob) {
        return new Prediction(i, prob, LABELS.get(i));
    }
}
