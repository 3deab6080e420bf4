package imagine.ij;

import ij.IJ;

/** How IMAGINE commands report a problem to the user. */
final class Messages {

    private Messages() {}

    /** An error dialog, and the same line in the Log: a macro run in batch mode may show no dialog. */
    static void error(String message) {
        IJ.log("IMAGINE: " + message);
        IJ.error("IMAGINE", message);
    }
}
