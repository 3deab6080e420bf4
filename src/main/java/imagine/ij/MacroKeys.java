package imagine.ij;

import java.util.ArrayList;
import java.util.List;

/**
 * ImageJ silently ignores macro options it does not know, so a misspelled key would run with a
 * default value. Commands check their options first and name the bad key.
 */
final class MacroKeys {

    private MacroKeys() {}

    /** The keys of an options string: "a=1 b=[x y] flag" gives a, b, flag. */
    static List<String> keys(String options) {
        List<String> keys = new ArrayList<>();
        int i = 0;
        int n = options.length();
        while (i < n) {
            while (i < n && options.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < n && options.charAt(i) != '=' && options.charAt(i) != ' ') {
                i++;
            }
            if (i > start) {
                keys.add(options.substring(start, i));
            }
            if (i < n && options.charAt(i) == '=') {
                i++;
                if (i < n && options.charAt(i) == '[') {
                    int close = options.indexOf(']', i);
                    i = close < 0 ? n : close + 1;
                } else {
                    while (i < n && options.charAt(i) != ' ') {
                        i++;
                    }
                }
            }
        }
        return keys;
    }

    /** A message naming the first unknown key, or null when all are known (or not run from a macro). */
    static String unknown(String options, List<String> known) {
        if (options == null) {
            return null;
        }
        for (String k : keys(options)) {
            if (!known.contains(k)) {
                return "Unknown macro key '" + k + "'. The keys are: " + String.join(", ", known) + ".";
            }
        }
        return null;
    }
}
