package imagine.cli;

import imagine.UserInputException;

/** Parses "S" or "WxH" output sizes. */
final class SizeParser {

    private SizeParser() {}

    static int[] parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            int x = t.indexOf('x');
            if (x < 0) {
                int v = Integer.parseInt(t);
                return new int[] {v, v};
            }
            return new int[] {Integer.parseInt(t.substring(0, x)), Integer.parseInt(t.substring(x + 1))};
        } catch (NumberFormatException e) {
            throw new UserInputException("--size must be a number or WIDTHxHEIGHT (e.g. 224 or 320x224), got '" + s + "'.");
        }
    }
}
