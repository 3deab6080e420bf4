package imagine.core;

import imagine.UserInputException;
import imagine.config.ImagineConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the samples should be: the reference's own top-1 class (the engine leaves the class term off
 * when none fits the reference: {@link ClassFit}), a class the user named (by index or by name), or
 * no class at all: the class term is off and the samples follow the reference's feature statistics
 * alone. The same words work on the command line ({@code --class}), in the Fiji dialog and in
 * macros ({@code class=none}, {@code class=285}, {@code class=[tabby cat]}).
 */
public record ClassChoice(Kind kind, int index) {

    public enum Kind { REFERENCE, NONE, INDEX }

    public static final ClassChoice REFERENCE = new ClassChoice(Kind.REFERENCE, -1);
    public static final ClassChoice NONE = new ClassChoice(Kind.NONE, -1);

    /**
     * Below this share of the probability in its top five classes, no class fits the reference: the
     * default of {@code class_fit_share}, under which a run with class -1 leaves the class term off.
     * Photos of one recognisable object hold more than this, micrographs and textures less; the top-1
     * probability alone does not separate them, nor does its stability under crops (measurements in
     * docs/decisions.md, "No class where none fits").
     */
    public static final double FITS_TOP5_SHARE = ImagineConfig.defaults().output().classFitShare();

    public static ClassChoice of(int index) {
        return index < 0 ? REFERENCE : new ClassChoice(Kind.INDEX, index);
    }

    /**
     * Reads a class choice: empty, {@code -1}, {@code auto} or {@code reference} (the reference's
     * top-1), {@code none} (no class term), an index, or a name or part of one (one match, or one
     * label that is exactly the name).
     *
     * @throws UserInputException naming the candidates when the text matches none or several
     */
    public static ClassChoice parse(String text, List<String> labels) {
        String t = text == null ? "" : text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.isEmpty() || lower.equals("-1") || lower.equals("auto") || lower.equals("reference")) {
            return REFERENCE;
        }
        if (lower.equals("none")) {
            return NONE;
        }
        if (t.matches("-?\\d{1,9}")) {
            int i = Integer.parseInt(t);
            if (i < 0 || i >= labels.size()) {
                throw new UserInputException("class " + t + " does not exist: classes are numbered 0 to "
                        + (labels.size() - 1) + " (-1 = the reference's class, none = no class).");
            }
            return of(i);
        }
        List<Integer> hits = search(t, labels);
        if (hits.size() == 1) {
            return of(hits.get(0));
        }
        if (hits.isEmpty()) {
            throw new UserInputException("No class is called '" + t + "'. Give a class number (0-" + (labels.size() - 1)
                    + "), part of a class name (for example 'tabby'), -1 for the reference's class or none.");
        }
        List<String> some = new ArrayList<>();
        for (int i : hits.subList(0, Math.min(5, hits.size()))) {
            some.add(i + " " + labels.get(i));
        }
        throw new UserInputException("'" + t + "' matches " + hits.size() + " classes (" + String.join("; ", some)
                + (hits.size() > 5 ? "; ..." : "") + "): give the number of the one you mean.");
    }

    /**
     * Classes whose name contains {@code query} (case-insensitive); labels with a synonym equal to
     * the query are the only hits ("crane" gives the bird 134 and the machine 517, and stays ambiguous;
     * "cat" is no label's synonym, so every label containing it matches).
     */
    public static List<Integer> search(String query, List<String> labels) {
        String q = query.trim().toLowerCase(Locale.ROOT);
        List<Integer> hits = new ArrayList<>();
        List<Integer> exact = new ArrayList<>();
        if (q.isEmpty()) {
            return hits;
        }
        for (int i = 0; i < labels.size(); i++) {
            for (String synonym : labels.get(i).toLowerCase(Locale.ROOT).split(",")) {
                if (synonym.trim().equals(q)) {
                    exact.add(i);
                    break;
                }
            }
            if (labels.get(i).toLowerCase(Locale.ROOT).contains(q)) {
                hits.add(i);
            }
        }
        // ImageNet repeats some names (crane: the bird 134 and the machine 517): all of them, then.
        return exact.isEmpty() ? hits : exact;
    }

    /** Whether some class fits a reference whose top predictions (best first) these are, at the default share. */
    public static boolean fits(List<Prediction> top) {
        return ClassFit.of(top, FITS_TOP5_SHARE).fits();
    }

    /** The probability held by the first five of {@code top}. */
    public static double topShare(List<Prediction> top) {
        return top.stream().limit(5).mapToDouble(Prediction::probability).sum();
    }

    /** This choice set on a configuration: the target class, and the class term off for none. */
    public ImagineConfig.Builder applyTo(ImagineConfig.Builder b) {
        return switch (kind) {
            case REFERENCE -> b.targetClass(-1);
            case NONE -> b.targetClass(-1).set("class_weight", "0");
            case INDEX -> b.targetClass(index);
        };
    }

    /** The macro value that gives this choice back. */
    public String key() {
        return switch (kind) {
            case REFERENCE -> "-1";
            case NONE -> "none";
            case INDEX -> Integer.toString(index);
        };
    }
}
