package imagine.controls;

import imagine.UserInputException;
import imagine.image.Mask;

/** Where (and in which shape) an object instance goes in the output frame. */
public sealed interface Target {

    /** Position control: a rectangle in output pixels. */
    record Box(int x, int y, int width, int height) implements Target {
        /** Parses {@code x,y,w,h} as the CLI and macros write it. */
        public static Box parse(String s) {
            String[] p = s.trim().split("\\s*,\\s*");
            if (p.length != 4) {
                throw new UserInputException("A target box is x,y,width,height in output pixels, e.g. 0,0,112,112; got '"
                        + s + "'.");
            }
            int[] v = new int[4];
            for (int i = 0; i < 4; i++) {
                try {
                    v[i] = Integer.parseInt(p[i]);
                } catch (NumberFormatException e) {
                    throw new UserInputException("A target box is four whole numbers x,y,width,height; '" + p[i]
                            + "' in '" + s + "' is not one.");
                }
            }
            // Outputs are at most 2048 px a side; far larger numbers are typos, and would overflow x + width.
            for (int i = 0; i < 4; i++) {
                if (Math.abs((long) v[i]) > LIMIT) {
                    throw new UserInputException("The target box '" + s + "' has a number beyond +-" + LIMIT
                            + " pixels; give x,y,width,height in output pixels, e.g. 0,0,112,112.");
                }
            }
            return new Box(v[0], v[1], v[2], v[3]);
        }

        /** The largest coordinate or side a box may have: a few output sizes, so sums never overflow. */
        public static final int LIMIT = 1 << 16;

        @Override
        public String toString() {
            return x + "," + y + "," + width + "," + height;
        }
    }

    /** Shape control: a silhouette in the output frame (resampled to the output size if needed). */
    record Shape(Mask mask) implements Target {
        @Override
        public String toString() {
            int[] b = mask.bounds();
            return "mask " + mask.width() + "x" + mask.height() + (b == null ? " (empty)"
                    : " covering " + Math.round(100 * mask.coverage()) + "% at " + b[0] + "," + b[1] + "," + b[2] + "," + b[3]);
        }
    }
}
