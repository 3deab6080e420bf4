package imagine.controls;

import imagine.image.Mask;
import java.util.List;

/**
 * Controls resolved to pixels: the object mask in the reference frame (null = whole reference)
 * and one mask per target instance in the output frame (none = uncontrolled run).
 */
public record Placement(Mask object, List<Mask> instances, int refWidth, int refHeight, int outWidth, int outHeight,
        List<String> warnings) {

    public boolean controlled() {
        return !instances.isEmpty();
    }

    /** All targets together, in the output frame. */
    public Mask targetUnion() {
        Mask u = null;
        for (Mask m : instances) {
            u = u == null ? m : u.union(m);
        }
        return u;
    }

    /** Whether the reference has a background to learn from (an object mask that is not full). */
    public boolean referenceHasBackground() {
        return object != null && !object.isFull();
    }

    /** Whether the output has pixels outside every target. */
    public boolean outputHasBackground() {
        return controlled() && !targetUnion().isFull();
    }

    /**
     * The factor to resize the reference by so the object appears at the size of an average target:
     * feature statistics depend on scale, so matching them across scales would draw the wrong size.
     * 1 when there are no targets (the engine then sizes the reference to the output).
     */
    public double objectToTargetScale() {
        if (!controlled()) {
            return 1;
        }
        double target = 0;
        for (Mask m : instances) {
            target += Math.sqrt(m.area());
        }
        target /= instances.size();
        double side = Math.sqrt(object == null ? (double) refWidth * refHeight : object.area());
        return target / side;
    }
}
