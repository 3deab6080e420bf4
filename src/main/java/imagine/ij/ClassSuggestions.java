package imagine.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;
import imagine.core.ClassChoice;
import imagine.core.Prediction;
import imagine.model.ModelStore;
import imagine.service.ImagineService;
import java.awt.Choice;
import java.awt.FlowLayout;
import java.awt.Label;
import java.awt.Panel;
import java.awt.TextField;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The class field's helpers: the reference's five likeliest ImageNet classes with their
 * probabilities, "none" (no class term: the reference's look alone), and a search by name. They
 * sit in a panel beside the recorded field and only write into it, so the macro key stays
 * {@code class} and macros record the chosen value, not the helper.
 */
final class ClassSuggestions {

    private static final String SEARCH_HINT = "e.g. tabby";

    private final List<Prediction> top;
    private final List<String> labels = ModelStore.imagenetLabels();

    private ClassSuggestions(List<Prediction> top) {
        this.top = top;
    }

    /**
     * The reference's top classes, or null when they cannot be had at once: the model is not
     * installed, or another IMAGINE job holds the queue (the dialog must not wait for it).
     */
    static ClassSuggestions of(ImagePlus imp, String model, Path folder) {
        ImagineService service = Services.imagine();
        if (service.pendingJobs() > 0) {
            return null;
        }
        try {
            IJ.showStatus("IMAGINE: reading the reference's classes...");
            List<Prediction> top = service.classify(ImageConversion.current(imp).image(), model, folder, 5);
            IJ.showStatus("");
            return new ClassSuggestions(top);
        } catch (RuntimeException e) {
            // The dialog opens without suggestions; the Log says why (the run itself will say it again, if it fails).
            IJ.showStatus("");
            IJ.log("IMAGINE: the class suggestions cannot be shown: " + (e instanceof imagine.UserInputException
                    ? e.getMessage() : e.toString()));
            return null;
        }
    }

    /** Whether some ImageNet class fits the reference (see {@link ClassChoice#FITS_TOP5_SHARE}). */
    boolean fits() {
        return ClassChoice.fits(top);
    }

    /** What the dialog says about the classes before the field. */
    String note() {
        Prediction best = top.get(0);
        if (fits()) {
            return String.format(Locale.ROOT, "The network reads the reference as %s (%.0f%%). Class -1 makes samples of "
                    + "that class; pick another below, or none for the reference's look without a class.", best.label(),
                    100 * best.probability());
        }
        // No label is offered here: none names what a micrograph shows ("bubble" is no nucleus).
        return "The network knows no object like this reference (as for most micrographs and textures): the samples "
                + "will copy its look, its textures, colours and structures, without aiming at any object. To aim at one "
                + "anyway, find it below.";
    }

    /** Adds the helper panel under the class field (the dialog's last string field). */
    void addTo(GenericDialog gd) {
        @SuppressWarnings("unchecked")
        java.util.Vector<TextField> strings = gd.getStringFields();
        TextField field = strings.get(strings.size() - 1);
        Choice pick = new Choice();
        List<String> values = new ArrayList<>();
        fill(pick, values, suggestions());
        pick.addItemListener(e -> {
            int i = pick.getSelectedIndex();
            if (i > 0) {
                field.setText(values.get(i));
            }
        });
        TextField search = new TextField(SEARCH_HINT, 12);
        search.addFocusListener(new java.awt.event.FocusAdapter() {
            @Override
            public void focusGained(java.awt.event.FocusEvent e) {
                if (search.getText().equals(SEARCH_HINT)) {
                    search.setText("");
                }
            }
        });
        search.addTextListener(e -> {
            String q = search.getText();
            if (q.equals(SEARCH_HINT)) {
                return;
            }
            List<String[]> hits = new ArrayList<>();
            for (int i : ClassChoice.search(q, labels)) {
                if (hits.size() == 30) {
                    break;
                }
                hits.add(new String[] {Integer.toString(i), i + " " + labels.get(i)});
            }
            fill(pick, values, q.isBlank() ? suggestions() : hits);
        });
        Panel p = new Panel(new FlowLayout(FlowLayout.LEFT, 4, 0));
        p.add(new Label("Pick:"));
        p.add(pick);
        p.add(new Label("Find:"));
        p.add(search);
        gd.addPanel(p);
    }

    /** The reference's classes and none, as (field value, shown item). */
    private List<String[]> suggestions() {
        List<String[]> items = new ArrayList<>();
        for (int k = 0; k < (fits() ? top.size() : 0); k++) {
            Prediction p = top.get(k);
            items.add(new String[] {k == 0 ? ClassChoice.REFERENCE.key() : Integer.toString(p.index()),
                    String.format(Locale.ROOT, "%d %s (%.0f%%)%s", p.index(), shortLabel(p.label()), 100 * p.probability(),
                            k == 0 ? " = -1" : "")});
        }
        items.add(new String[] {ClassChoice.NONE.key(), "none: no class, the reference's look only"});
        return items;
    }

    private static void fill(Choice pick, List<String> values, List<String[]> items) {
        pick.removeAll();
        values.clear();
        pick.add(items.isEmpty() ? "(no class matches)" : "choose...");
        values.add("");
        for (String[] it : items) {
            pick.add(it[1]);
            values.add(it[0]);
        }
    }

    /** The first synonym of an ImageNet label: "tabby, tabby cat" reads "tabby". */
    static String shortLabel(String label) {
        int comma = label.indexOf(',');
        return comma < 0 ? label : label.substring(0, comma);
    }
}
