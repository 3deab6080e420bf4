package imagine.ij;

import ij.gui.GenericDialog;
import java.awt.GraphicsEnvironment;

/** Dialog fields that must also work in Fiji's headless mode. */
final class Fields {

    private Fields() {}

    /**
     * A folder field: with a Browse button on a display; a plain text field when headless, because
     * ij1-patcher's headless dialog does not register directory fields (reading them fails).
     */
    static void addFolder(GenericDialog gd, String key, String value, int columns) {
        if (GraphicsEnvironment.isHeadless()) {
            gd.addStringField(key, value, columns);
        } else {
            gd.addDirectoryField(key, value, columns);
        }
    }
}
