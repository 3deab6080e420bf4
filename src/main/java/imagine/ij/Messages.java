package imagine.ij;

import ij.IJ;
import ij.macro.Interpreter;
import java.awt.GraphicsEnvironment;

/** How IMAGINE commands report a problem to the user. */
final class Messages {

    private Messages() {}

    /**
     * The message in the Log, then an error dialog where someone can click it away; a macro that
     * called the command stops there (it must not go on with the reference as if it were the result).
     * `ImageJ -batch` has a display but no ImageJ window and no one to answer a modal dialog, so
     * there the Log line (printed to the console) is the message.
     */
    static void error(String message) {
        IJ.log("IMAGINE: " + message);
        boolean unattended = IJ.getInstance() == null && Interpreter.isBatchMode() && !GraphicsEnvironment.isHeadless();
        if (!unattended) {
            IJ.error("IMAGINE", message);
        }
        Interpreter macro = Interpreter.getInstance();
        if (macro != null) {
            macro.abortMacro();
        }
    }
}
