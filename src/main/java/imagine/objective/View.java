package imagine.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * A view: the canvas box at (x, y) of {@code boxWidth x boxHeight}, resized to
 * {@code width x height} when it differs, then optionally flipped. Applying it to the pixels
 * and to the region masks (of the canvas's size) keeps them aligned.
 */
public record View(int x, int y, int boxWidth, int boxHeight, int width, int height, boolean flip) {

    public NDArray apply(NDArray canvas) {
        NDArray out = canvas.get(new NDIndex(":, :, {}:{}, {}:{}", y, y + boxHeight, x, x + boxWidth));
        if (boxWidth != width || boxHeight != height) {
            out = out.getNDArrayInternal().interpolation(new long[] {height, width}, 1, false);
        }
        return flip ? out.flip(3) : out;
    }
}
