package imagine.ij;

import ij.IJ;
import ij.macro.Interpreter;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.List;

/** How IMAGINE commands report a problem to the user. */
final class Messages {

    /**
     * Characters per line of a message dialog: ImageJ's dialogs do not wrap, and at its 12-14 pt
     * dialog font 72 characters stay well under 800 px.
     */
    static final int COLUMNS = 72;

    private Messages() {}

    /**
     * The message in the Log, then an error dialog where someone can click it away; a macro that
     * called the command stops there (it must not go on with the reference as if it were the result).
     * `ImageJ -batch` has a display but no ImageJ window and no one to answer a modal dialog, so
     * there the Log line (printed to the console) is the message. The status bar is cleared: it
     * must not keep saying "starting..." after a failure.
     */
    static void error(String message) {
        IJ.log("IMAGINE: " + message);
        IJ.showStatus("");
        IJ.showProgress(1.0);
        boolean unattended = IJ.getInstance() == null && Interpreter.isBatchMode() && !GraphicsEnvironment.isHeadless();
        if (GraphicsEnvironment.isHeadless() || IJ.redirectingErrorMessages()) {
            // Headless Fiji turns it into a log line; Process>Batch>Macro and scripts that redirect errors get theirs.
            IJ.error("IMAGINE", message);
        } else if (!unattended) {
            // Our own message box, also inside a macro: there IJ.error becomes the interpreter's "Macro Error"
            // box, which appends the calling macro line, unwrapped, and grows as wide as that line.
            new ij.gui.MessageDialog(IJ.getInstance(), "IMAGINE", wrap(message, COLUMNS));
        }
        Interpreter macro = Interpreter.getInstance();
        if (macro != null) {
            macro.abortMacro();
        }
    }

    /**
     * Runs a command's body, saying what stopped it: a user's mistake as such, anything else
     * (a LinkageError too: a library clash between plugins, which ImageJ would drop without a
     * word) as a failure. Every command's run() goes through here.
     */
    static void reporting(Runnable body) {
        try {
            body.run();
        } catch (imagine.UserInputException e) {
            error(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            failure(e);
        }
    }

    /**
     * An unexpected failure: the trace goes to the Log first, so it is there when the dialog says
     * so; the dialog gives the cause in words and what to try.
     */
    static void failure(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        IJ.log(w.toString());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String cause = root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName()
                : root.getMessage().strip();
        if (e instanceof LinkageError) {
            error("IMAGINE could not load a part it needs (" + root.getClass().getSimpleName() + ": " + cause + "). Another "
                    + "plugin may bring a different version of one of its libraries: run Help > Update... to repair the "
                    + "installation, restart Fiji, and report it with the text in the Log window if it stays.");
            return;
        }
        error("IMAGINE stopped on an unexpected error: " + cause + ". Try again with fewer samples or a smaller size; "
                + "if it happens again, please report it with the text in the Log window.");
    }

    /**
     * {@code text} broken into lines of at most {@code columns} characters, at spaces where it can;
     * a word longer than a line (a path, a URL) is broken after a '/', '\\', '_' or '.' when it has
     * one, else where it must. Existing line breaks stay.
     */
    static String wrap(String text, int columns) {
        List<String> out = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                List<String> pieces = pieces(word, columns);
                // Every piece but the last fills a line of its own.
                for (int i = 0; i < pieces.size(); i++) {
                    String piece = pieces.get(i);
                    if (line.length() > 0 && line.length() + 1 + piece.length() > columns) {
                        out.add(line.toString());
                        line.setLength(0);
                    }
                    if (line.length() > 0) {
                        line.append(' ');
                    }
                    line.append(piece);
                    if (i < pieces.size() - 1) {
                        out.add(line.toString());
                        line.setLength(0);
                    }
                }
            }
            out.add(line.toString());
        }
        return String.join("\n", out);
    }

    private static List<String> pieces(String word, int columns) {
        List<String> pieces = new ArrayList<>();
        String rest = word;
        while (rest.length() > columns) {
            int cut = -1;
            for (int i = columns - 1; i > columns / 3; i--) {
                char ch = rest.charAt(i - 1);
                if (ch == '/' || ch == '\\' || ch == '_' || ch == '.') {
                    cut = i;
                    break;
                }
            }
            if (cut < 0) {
                cut = columns;
            }
            pieces.add(rest.substring(0, cut));
            rest = rest.substring(cut);
        }
        pieces.add(rest);
        return pieces;
    }
}
