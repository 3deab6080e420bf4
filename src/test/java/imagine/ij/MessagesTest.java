package imagine.ij;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Messages fit a dialog: ImageJ's message boxes and dialog messages do not wrap by themselves. */
class MessagesTest {

    private static final String MISSING = "Model mobilenet_v1_0.75_224 is not in /home/someone/Fiji.app/models/a/folder/"
            + "with/a/rather/long/path/that/does/not/exist/at/all/on/this/machine: expected /home/someone/Fiji.app/models/"
            + "mobilenet_v1_0.75_224/model.json and its weight files. Download the TensorFlow.js copy (https://storage."
            + "googleapis.com/tfjs-models/tfjs/mobilenet_v1_0.75_224/model.json and the files it names) into that folder.";

    @Test
    void linesStayWithinTheWidthAndNothingIsLost() {
        String w = Messages.wrap(MISSING, 72);
        assertTrue(w.lines().count() >= 6, w);
        w.lines().forEach(l -> assertTrue(l.length() <= 72, "line of " + l.length() + ": " + l));
        assertEquals(MISSING.replace(" ", ""), w.replace("\n", "").replace(" ", ""), "every character kept, in order");
    }

    @Test
    void longPathsBreakAfterASeparator() {
        String w = Messages.wrap("in " + "/a/very/long/folder/name/that/goes/on/and/on/and/on/and/on/and/on/and/on/x.png", 40);
        assertTrue(w.startsWith("in\n"), w);
        w.lines().skip(1).limit(w.lines().count() - 2).forEach(l -> assertTrue(l.endsWith("/"), "broken after a slash: " + w));
    }

    @Test
    void shortTextAndLineBreaksStay() {
        assertEquals("Open an image first.", Messages.wrap("Open an image first.", 72));
        assertEquals("one\ntwo", Messages.wrap("one\ntwo", 72));
    }

    @Test
    void infoNumbersAreRounded() {
        assertEquals("0.1235", ImagineCommand.rounded(0.12345678));
        assertEquals("800", ImagineCommand.rounded(800.0));
        assertEquals("0.00001", ImagineCommand.rounded(1e-5));
        assertEquals("4,1,1,1", ImagineCommand.rounded(java.util.List.of(4.0, 1.0, 1.0, 1.0)));
        assertEquals("NaN", ImagineCommand.rounded(Double.NaN));
        assertEquals("fast", ImagineCommand.rounded("fast"));
    }

    @Test
    void formKeysAreWhatImageJRecords() {
        assertEquals("models_folder", Form.key("Models_folder"));
        assertEquals("all_slices", Form.key("All_slices (each plane of the stack in turn)"));
        assertEquals("class", Form.key("Class"));
    }
}
