package imagine.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import imagine.controls.Placement;
import imagine.image.Mask;
import java.util.ArrayList;
import java.util.List;

/**
 * The controls at one stage's scale: the object mask in the (rescaled) reference frame and the
 * target masks in the stage's output frame, on the host (for crop sampling) and on the device
 * as (1, 1, H, W) arrays (for the loss terms).
 *
 * @param objectHost object mask in the reference frame; null when the whole reference is the object
 * @param object the same on the device, or null
 * @param targetHost all targets together in the output frame
 * @param target the same on the device
 * @param instances one device mask per target instance
 */
public record StageRegions(Mask objectHost, NDArray object, Mask targetHost, NDArray target, List<NDArray> instances,
        boolean referenceBackground, boolean outputBackground) {

    /**
     * The controls at a stage: masks in the reference frame and in the stage's output frame; on the
     * device, the target masks cover the stage's canvas (the frame plus {@code margin}, which lies
     * outside every target) so a step's view cuts them as it cuts the pixels.
     */
    public static StageRegions of(Placement p, int refW, int refH, int outW, int outH, int margin, NDManager m) {
        Mask obj = p.object() == null ? null : p.object().resize(refW, refH);
        List<NDArray> inst = new ArrayList<>();
        Mask union = null;
        for (Mask t : p.instances()) {
            Mask r = t.resize(outW, outH);
            union = union == null ? r : union.union(r);
            inst.add(upload(r.padded(margin), m));
        }
        return new StageRegions(obj, obj == null ? null : upload(obj, m), union, upload(union.padded(margin), m), inst,
                obj != null && !obj.isFull(), !union.isFull());
    }

    static NDArray upload(Mask mask, NDManager m) {
        return m.create(mask.values(), new Shape(1, 1, mask.height(), mask.width()));
    }

    /** The target masks seen through the same view as this step's pixels. */
    public StepRegions viewed(View v) {
        List<NDArray> inst = new ArrayList<>(instances.size());
        for (NDArray a : instances) {
            inst.add(v.apply(a));
        }
        return new StepRegions(v.apply(target), inst, outputBackground, outputBackground && !referenceBackground);
    }

    /**
     * Where a (1, 1, H, W) mask is entirely absent at an activation's (h, w): 1 for a cell whose
     * footprint holds no masked pixel, else 0 (one minus the max-pooled mask). A term that pushes
     * the background must not reach cells the target also covers: at a coarse layer nearly every
     * cell along a silhouette is partly inside, and pushing their class evidence down fought the
     * class term there until the run stalled in noise.
     */
    public static NDArray outsideAtResolution(NDArray mask, long h, long w) {
        long mh = mask.getShape().get(2);
        long mw = mask.getShape().get(3);
        int sy = (int) Math.max(1, Math.round((double) mh / h));
        int sx = (int) Math.max(1, Math.round((double) mw / w));
        NDArray pooled = mask.getNDArrayInternal().maxPool(new Shape(sy, sx), new Shape(sy, sx), new Shape(0, 0), true);
        if (pooled.getShape().get(2) != h || pooled.getShape().get(3) != w) {
            pooled = pooled.getNDArrayInternal().interpolation(new long[] {h, w}, 0, false);
        }
        return pooled.neg().add(1f);
    }

    /**
     * A (1, 1, H, W) mask averaged down to an activation's (h, w): with pooling windows equal to
     * the stride, each cell gets the fraction of its receptive footprint that is inside.
     */
    public static NDArray atResolution(NDArray mask, long h, long w) {
        long mh = mask.getShape().get(2);
        long mw = mask.getShape().get(3);
        if (mh == h && mw == w) {
            return mask;
        }
        int sy = (int) Math.max(1, Math.round((double) mh / h));
        int sx = (int) Math.max(1, Math.round((double) mw / w));
        NDArray pooled = mask.getNDArrayInternal().avgPool(new Shape(sy, sx), new Shape(sy, sx), new Shape(0, 0), true, false);
        if (pooled.getShape().get(2) == h && pooled.getShape().get(3) == w) {
            return pooled;
        }
        return mask.getNDArrayInternal().interpolation(new long[] {h, w}, 1, false);
    }
}
