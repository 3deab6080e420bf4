package imagine.core;

import imagine.config.ImagineConfig;
import imagine.controls.Placement;
import imagine.image.RgbImage;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Which class a run steers to: the one asked for, or the reference's own (read from its object's
 * square, see {@link #objectCrop}); where no ImageNet class fits the reference (its five likeliest
 * hold less than {@code class_fit_share}), no class at all: the samples then take its look alone.
 */
final class ClassTargeting {

    private ClassTargeting() {}

    /** The target class, how well it fits the reference (null unless read from it) and the run's settings then. */
    record Decision(int target, ClassFit fit, ImagineConfig cfg) {}

    static Decision decide(ImagineConfig cfg, BiFunction<RgbImage, Integer, List<Prediction>> classify, RgbImage reference,
            Placement placement) {
        int target = cfg.output().targetClass();
        if (target >= 0) {
            return new Decision(target, null, cfg);
        }
        List<Prediction> top = classify.apply(objectCrop(reference, placement), 5);
        ClassFit fit = null;
        ImagineConfig out = cfg;
        if (cfg.weights().classWeight() != 0 && cfg.weights().featureWeight() != 0) {
            fit = ClassFit.of(top, cfg.output().classFitShare());
            if (!fit.fits()) {
                out = cfg.toBuilder().set("class_weight", "0").build();
            }
        }
        return new Decision(top.get(0).index(), fit, out);
    }

    /** The largest centred square of {@code image}. */
    static RgbImage centreSquare(RgbImage image) {
        int side = Math.min(image.width(), image.height());
        return side == image.width() && side == image.height() ? image
                : image.crop((image.width() - side) / 2, (image.height() - side) / 2, side, side);
    }

    /**
     * What y* is read from: the square of the reference around the object's bounding box, as large
     * as the box's longer side where the reference allows (so {@link #classify}'s centre square does
     * not cut a long object's ends); the whole reference without an object mask.
     */
    static RgbImage objectCrop(RgbImage ref, Placement p) {
        int[] b = p.object() == null ? null : p.object().bounds();
        if (b == null || (b[2] == ref.width() && b[3] == ref.height())) {
            return ref;
        }
        int side = Math.min(Math.max(b[2], b[3]), Math.min(ref.width(), ref.height()));
        int x = Math.max(0, Math.min(ref.width() - side, b[0] + b[2] / 2 - side / 2));
        int y = Math.max(0, Math.min(ref.height() - side, b[1] + b[3] / 2 - side / 2));
        return ref.crop(x, y, side, side);
    }
}
