package imagine.model;

import java.util.List;

/** Class probabilities of a batch of images: one row of {@code classes} values per image. */
public record ClassProbabilities(float[] values, int classes) {

    public int rows() {
        return values.length / classes;
    }

    public float get(int row, int cls) {
        return values[row * classes + cls];
    }

    /** The most probable class of a row (the first of equals). */
    public int top(int row) {
        int best = 0;
        for (int j = 1; j < classes; j++) {
            if (get(row, j) > get(row, best)) {
                best = j;
            }
        }
        return best;
    }

    /** The {@code k} most probable classes of a row, most probable first. */
    public int[] top(int row, int k) {
        int n = Math.min(k, classes);
        int[] out = new int[n];
        boolean[] used = new boolean[classes];
        for (int r = 0; r < n; r++) {
            int best = -1;
            for (int j = 0; j < classes; j++) {
                if (!used[j] && (best < 0 || get(row, j) > get(row, best))) {
                    best = j;
                }
            }
            used[best] = true;
            out[r] = best;
        }
        return out;
    }

    /** One row: the mean of this batch's rows (one image read in several views). */
    public ClassProbabilities rowMean() {
        float[] p = new float[classes];
        for (int i = 0; i < values.length; i++) {
            p[i % classes] += values[i];
        }
        int n = rows();
        for (int c = 0; c < classes; c++) {
            p[c] /= n;
        }
        return new ClassProbabilities(p, classes);
    }

    /** The element-wise mean of batches of the same shape (a large image judged window by window). */
    public static ClassProbabilities mean(List<ClassProbabilities> parts) {
        float[] p = parts.get(0).values().clone();
        for (int k = 1; k < parts.size(); k++) {
            float[] q = parts.get(k).values();
            for (int i = 0; i < p.length; i++) {
                p[i] += q[i];
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= parts.size();
        }
        return new ClassProbabilities(p, parts.get(0).classes());
    }
}
