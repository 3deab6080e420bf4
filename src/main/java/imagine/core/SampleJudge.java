package imagine.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import imagine.model.Backbone;
import imagine.model.ClassProbabilities;
import imagine.objective.Stage;
import java.util.ArrayList;
import java.util.List;

/** How a run's final samples are read by the classifier it was made against (their predicted class and p(target)). */
final class SampleJudge {

    private SampleJudge() {}

    /**
     * The class probabilities of each final sample. An output refined in windows (its last stage
     * is windowed) is judged as it was made, window by window (mean class probabilities over windows
     * covering it): judged whole, every activation of the forward pass lives until the scope closes
     * (3.5 GiB at 2048 px, more than the whole optimization), and shrunk to the classifier's scale
     * its objects, made at window scale, are too small to read.
     */
    static ClassProbabilities judge(Backbone backbone, NDArray x, Stage last) {
        if (!last.windowed()) {
            return backbone.probabilities(x);
        }
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        int win = last.window();
        List<ClassProbabilities> parts = new ArrayList<>();
        for (int y : Augmentation.WindowSampler.positions((int) Math.max(0, h - win), win)) {
            for (int x0 : Augmentation.WindowSampler.positions((int) Math.max(0, w - win), win)) {
                try (NDArray tile = x.get(new NDIndex(":, :, {}:{}, {}:{}", y, Math.min(h, y + win), x0,
                        Math.min(w, x0 + win)))) {
                    parts.add(backbone.probabilities(tile));
                }
            }
        }
        return ClassProbabilities.mean(parts);
    }
}
