package imagine.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * The band of an activation map whose locations see the classifier's zero padding: {@code pixels}
 * input pixels wide at every border. Feature statistics leave it out, in the views and in the
 * reference alike: matched there, they pulled the outputs' corners and borders towards whatever
 * makes padded activations look like the reference's, and drew coloured grain there and flat
 * blocks with straight edges inside (seen in run snapshots; measured in docs/decisions.md). A map too small to keep two locations a side without the band (the deepest tap in the
 * coarsest stage) keeps all of them.
 */
public record PaddingBand(int pixels) {

    public PaddingBand {
        if (pixels < 0) {
            throw new IllegalArgumentException("pixels < 0: " + pixels);
        }
    }

    /**
     * How many locations to leave out at each border of {@code activation} (N, C, h, w), computed
     * from an input {@code inputWidth} pixels wide.
     */
    public long cells(NDArray activation, long inputWidth) {
        long h = activation.getShape().get(2);
        long w = activation.getShape().get(3);
        double stride = (double) inputWidth / w;
        long c = (long) Math.ceil(pixels / stride - 1e-9);
        return h - 2 * c < 2 || w - 2 * c < 2 ? 0 : c;
    }

    /** {@code a} (N, C, h, w) without {@code cells} locations at every border. */
    public static NDArray crop(NDArray a, long cells) {
        if (cells == 0) {
            return a;
        }
        long h = a.getShape().get(2);
        long w = a.getShape().get(3);
        return a.get(new NDIndex(":, :, {}:{}, {}:{}", cells, h - cells, cells, w - cells));
    }

    /** {@code activation} without the band, for an input {@code inputWidth} pixels wide. */
    public NDArray inner(NDArray activation, long inputWidth) {
        return crop(activation, cells(activation, inputWidth));
    }
}
