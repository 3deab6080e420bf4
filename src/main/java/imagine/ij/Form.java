package imagine.ij;

import ij.gui.GenericDialog;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.TextField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A GenericDialog built field by field while recording each field's macro key, so the list of
 * keys a command accepts is the dialog itself and cannot drift from it. A dry form (no dialog)
 * only records the keys: tests and the unknown-key check use it without a display.
 *
 * <p>Labels are what the user reads; ImageJ takes a field's macro key from its label's first
 * word, lower-cased, and shows underscores as spaces, so "Models_folder" reads "Models folder"
 * and records as {@code models_folder}. Values typed earlier (a dialog shown again after a
 * validation error) replace the defaults, by key.
 */
final class Form {

    private enum Kind { NUMBER, TEXT, CHOICE, FLAG }

    private record Field(String key, String label, Kind kind) {}

    private static final String MORE = "More options >>";
    private static final String FEWER = "Fewer options <<";

    private final GenericDialog gd;
    private final Map<String, String> typed;
    private final List<Field> fields = new ArrayList<>();
    /** The "More options" button, and the index of the first component it shows and hides. */
    private java.awt.Button more;
    private int moreFrom;

    private Form(GenericDialog gd, Map<String, String> typed) {
        this.gd = gd;
        this.typed = typed;
    }

    static Form of(GenericDialog gd) {
        return new Form(gd, Map.of());
    }

    /** A form whose fields show {@code typed} (key to text) instead of their defaults. */
    static Form of(GenericDialog gd, Map<String, String> typed) {
        return new Form(gd, typed);
    }

    static Form dry() {
        return new Form(null, Map.of());
    }

    GenericDialog dialog() {
        return gd;
    }

    /** Whether the fields show values typed earlier rather than their defaults. */
    boolean hasTyped() {
        return !typed.isEmpty();
    }

    /** The macro keys in field order. */
    List<String> keys() {
        return fields.stream().map(Field::key).toList();
    }

    /** The macro key ImageJ derives from a label (ij.Macro.trimKey). */
    static String key(String label) {
        String k = label.trim();
        int space = k.indexOf(' ');
        return (space < 0 ? k : k.substring(0, space)).toLowerCase(Locale.US);
    }

    Form message(String text) {
        if (gd != null) {
            gd.addMessage(Messages.wrap(text, Messages.COLUMNS));
        }
        return this;
    }

    Form number(String label, double value, int digits, String units) {
        String key = add(label, Kind.NUMBER);
        if (gd != null) {
            String t = typed.get(key);
            gd.addNumericField(label, value, digits, 6, units);
            if (t != null) {
                last(gd.getNumericFields()).setText(t);
            }
        }
        return this;
    }

    Form choice(String label, String[] items, String value) {
        String key = add(label, Kind.CHOICE);
        if (gd != null) {
            gd.addChoice(label, items, typed.getOrDefault(key, value));
        }
        return this;
    }

    Form text(String label, String value, int columns) {
        String key = add(label, Kind.TEXT);
        if (gd != null) {
            gd.addStringField(label, typed.getOrDefault(key, value), columns);
        }
        return this;
    }

    Form folder(String label, String value, int columns) {
        String key = add(label, Kind.TEXT);
        if (gd != null) {
            Fields.addFolder(gd, label, typed.getOrDefault(key, value), columns);
        }
        return this;
    }

    /** A check box; its label starts with the key (ImageJ reads the key from the label's first word). */
    Form flag(String label, String explanation, boolean value) {
        String key = add(label, Kind.FLAG);
        if (gd != null) {
            String t = typed.get(key);
            gd.addCheckbox(label + " (" + explanation + ")", t == null ? value : Boolean.parseBoolean(t));
        }
        return this;
    }

    /**
     * The fields added from here to {@link #moreEnd} show only after a click on "More options", so
     * a newcomer meets what matters first and the dialog fits a small screen. Hidden fields keep
     * their macro keys and values: macros and the Recorder see every field.
     */
    Form moreStart() {
        // Headless Fiji's dialogs have no components (and AWT refuses to make any): all fields then count.
        if (gd != null && !java.awt.GraphicsEnvironment.isHeadless()) {
            java.awt.Panel p = new java.awt.Panel(new java.awt.FlowLayout(java.awt.FlowLayout.LEFT, 0, 0));
            more = new java.awt.Button(MORE);
            p.add(more);
            gd.addPanel(p);
            moreFrom = gd.getComponentCount();
        }
        return this;
    }

    /** Ends the fields {@link #moreStart} began; they start shown when {@code shown}. */
    Form moreEnd(boolean shown) {
        if (gd == null || more == null) {
            return this;
        }
        List<java.awt.Component> hidden = new ArrayList<>();
        for (int i = moreFrom; i < gd.getComponentCount(); i++) {
            hidden.add(gd.getComponent(i));
        }
        java.awt.Button button = more;
        button.addActionListener(e -> {
            boolean on = button.getLabel().equals(MORE);
            hidden.forEach(c -> c.setVisible(on));
            button.setLabel(on ? FEWER : MORE);
            gd.pack();
        });
        hidden.forEach(c -> c.setVisible(shown));
        button.setLabel(shown ? FEWER : MORE);
        return this;
    }

    /** What the user typed into each field, by key: to show the dialog again with it. */
    Map<String, String> snapshot() {
        Map<String, String> m = new HashMap<>();
        if (gd == null) {
            return m;
        }
        int n = 0;
        int s = 0;
        int c = 0;
        int f = 0;
        for (Field field : fields) {
            switch (field.kind()) {
                case NUMBER -> m.put(field.key(), ((TextField) gd.getNumericFields().get(n++)).getText());
                case TEXT -> m.put(field.key(), ((TextField) gd.getStringFields().get(s++)).getText());
                case CHOICE -> m.put(field.key(), ((Choice) gd.getChoices().get(c++)).getSelectedItem());
                case FLAG -> m.put(field.key(), Boolean.toString(((Checkbox) gd.getCheckboxes().get(f++)).getState()));
            }
        }
        return m;
    }

    private String add(String label, Kind kind) {
        String key = key(label);
        fields.add(new Field(key, label.replace('_', ' '), kind));
        return key;
    }

    /** What a filled-in dialog holds, by macro key: a new field is read where it is used, by its key. */
    static final class Values {
        private final Map<String, Object> byKey;

        Values(Map<String, Object> byKey) {
            this.byKey = byKey;
        }

        private Object get(String key) {
            Object v = byKey.get(key);
            if (v == null) {
                throw new IllegalArgumentException("no field '" + key + "' in this dialog");
            }
            return v;
        }

        double number(String key) {
            return (Double) get(key);
        }

        String text(String key) {
            return ((String) get(key)).trim();
        }

        String choice(String key) {
            return (String) get(key);
        }

        boolean flag(String key) {
            return (Boolean) get(key);
        }
    }

    /**
     * Reads every field, in the order GenericDialog hands values out (in a macro, by their keys in
     * the options); a field that holds no number is named in the message.
     */
    Values read() {
        Map<String, Object> v = new HashMap<>();
        for (Field f : fields) {
            switch (f.kind()) {
                case NUMBER -> {
                    boolean before = gd.invalidNumber();
                    double d = gd.getNextNumber();
                    if (!before && gd.invalidNumber()) {
                        throw new imagine.UserInputException("The field " + f.label() + " holds no number ("
                                + gd.getErrorMessage().trim() + "): type a number there.");
                    }
                    v.put(f.key(), d);
                }
                case TEXT -> v.put(f.key(), gd.getNextString());
                case CHOICE -> v.put(f.key(), gd.getNextChoice());
                case FLAG -> v.put(f.key(), gd.getNextBoolean());
            }
        }
        return new Values(v);
    }

    private static TextField last(java.util.Vector<?> v) {
        return (TextField) v.get(v.size() - 1);
    }
}
