package imagine.ij;

import ij.gui.GenericDialog;
import java.util.ArrayList;
import java.util.List;

/**
 * A GenericDialog built field by field while recording each field's macro key, so the list of
 * keys a command accepts is the dialog itself and cannot drift from it. A dry form (no dialog)
 * only records the keys: tests and the unknown-key check use it without a display.
 */
final class Form {

    private final GenericDialog gd;
    private final List<String> keys = new ArrayList<>();

    private Form(GenericDialog gd) {
        this.gd = gd;
    }

    static Form of(GenericDialog gd) {
        return new Form(gd);
    }

    static Form dry() {
        return new Form(null);
    }

    GenericDialog dialog() {
        return gd;
    }

    /** The macro keys in field order. */
    List<String> keys() {
        return List.copyOf(keys);
    }

    Form message(String text) {
        if (gd != null) {
            gd.addMessage(text);
        }
        return this;
    }

    Form number(String key, double value, int digits, String units) {
        keys.add(key);
        if (gd != null) {
            gd.addNumericField(key, value, digits, 6, units);
        }
        return this;
    }

    Form choice(String key, String[] items, String value) {
        keys.add(key);
        if (gd != null) {
            gd.addChoice(key, items, value);
        }
        return this;
    }

    Form text(String key, String value, int columns) {
        keys.add(key);
        if (gd != null) {
            gd.addStringField(key, value, columns);
        }
        return this;
    }

    Form folder(String key, String value, int columns) {
        keys.add(key);
        if (gd != null) {
            Fields.addFolder(gd, key, value, columns);
        }
        return this;
    }

    /** A check box; its label starts with the key (ImageJ reads the key from the label's first word). */
    Form flag(String key, String explanation, boolean value) {
        keys.add(key);
        if (gd != null) {
            gd.addCheckbox(key + " (" + explanation + ")", value);
        }
        return this;
    }
}
