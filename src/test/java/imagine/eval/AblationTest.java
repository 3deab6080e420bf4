package imagine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import imagine.UserInputException;
import imagine.config.ImagineConfig;
import org.junit.jupiter.api.Test;

/** Each report variant drops what it names and nothing else. */
class AblationTest {

    private final ImagineConfig full = ImagineConfig.preset(ImagineConfig.Preset.DEFAULT).build();

    @Test
    void noPaletteDropsOnlyThePaletteTerm() {
        ImagineConfig.Weights w = Ablation.parse("no_palette").apply(full).weights();
        assertEquals(0, w.paletteWeight());
        assertEquals(full.weights().featureWeight(), w.featureWeight());
        assertEquals(full.weights().classWeight(), w.classWeight());
    }

    @Test
    void classOnlyKeepsNothingOfTheReferencesLook() {
        ImagineConfig.Weights w = Ablation.parse("class_only").apply(full).weights();
        assertEquals(0, w.featureWeight());
        assertEquals(0, w.paletteWeight());
        assertEquals(0, w.adversarialWeight());
        assertEquals(full.weights().classWeight(), w.classWeight());
        assertEquals(full.weights().tvL2Weight(), w.tvL2Weight());
    }

    @Test
    void anUnknownMethodIsRefusedWithTheChoices() {
        UserInputException e = assertThrows(UserInputException.class, () -> Ablation.parse("no_colours"));
        assertEquals(true, e.getMessage().contains("no_palette"), e.getMessage());
    }
}
