package imagine.core;

import imagine.controls.Placement;
import imagine.image.RgbImage;

/**
 * How many output pixels one reference pixel becomes in a run's samples: the engine shows the
 * classifier the reference rescaled to the output's area (plain runs) or so that its object has the
 * targets' size (position and shape control), and the samples' objects have that scale. A sample's
 * true pixel size is the reference's divided by it: a 512 px nuclei field made into a 224 px
 * sample has nuclei 2.3 times smaller in pixels, so its pixels are 2.3 times larger.
 */
public final class SampleScale {

    private SampleScale() {}

    /** Output pixels per reference pixel for a {@code refW x refH} reference and a {@code outW x outH} output. */
    public static double of(int refW, int refH, Placement placement, int outW, int outH) {
        if (placement != null && placement.controlled()) {
            return RgbImage.targetFactor(refW, refH, placement.objectToTargetScale(), outW, outH);
        }
        return (double) RgbImage.areaWidth(refW, refH, outW, outH) / refW;
    }
}
