package imagine.core;

import java.util.Locale;

/** A duration as people read it in a message or a dialog: "4.2 s", "38 s", "12 min", "2.5 h". */
public final class Durations {

    private Durations() {}

    public static String text(double seconds) {
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 90) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 5400) {
            return String.format(Locale.ROOT, "%.0f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
