package imagine.controls;

import imagine.UserInputException;
import imagine.image.Mask;
import java.util.ArrayList;
import java.util.List;

/**
 * Position and shape control as the user states it: an optional object region on the reference
 * (default: the whole image is the object) and zero or more targets in the output frame. With no
 * target the run is the plain method. {@link #resolve} checks everything against the actual sizes
 * and turns it into pixel masks, so bad input fails before any work starts.
 */
public record Controls(Mask objectMask, List<Target> targets) {

    /** Side, in output pixels, below which a target cannot hold a recognizable object. */
    public static final int MIN_TARGET_SIDE = 8;
    /** How far (relative) aspect ratios may differ for a mask to be resampled rather than refused. */
    static final double ASPECT_TOLERANCE = 0.02;

    public Controls {
        targets = List.copyOf(targets);
    }

    public static Controls none() {
        return new Controls(null, List.of());
    }

    public boolean isEmpty() {
        return objectMask == null && targets.isEmpty();
    }

    public Controls withObjectMask(Mask m) {
        return new Controls(m, targets);
    }

    public Controls withTarget(Target t) {
        List<Target> l = new ArrayList<>(targets);
        l.add(t);
        return new Controls(objectMask, l);
    }

    /**
     * The controls in pixels of the actual frames.
     *
     * @throws imagine.UserInputException with a message saying what to change
     */
    public Placement resolve(int refWidth, int refHeight, int outWidth, int outHeight) {
        Mask object = null;
        if (objectMask != null) {
            object = fit(objectMask, refWidth, refHeight, "object mask", "reference");
            if (object.isEmpty()) {
                throw new UserInputException("The object mask is empty: mark the object with an area selection "
                        + "(or a mask with white object pixels), or leave it out to use the whole reference.");
            }
        }
        List<Mask> instances = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Target t : targets) {
            Mask m;
            if (t instanceof Target.Box b) {
                m = box(b, outWidth, outHeight, object, warnings);
            } else {
                Mask s = ((Target.Shape) t).mask();
                m = fit(s, outWidth, outHeight, "target mask", "output");
                if (m.isEmpty()) {
                    throw new UserInputException("The target mask is empty: its white (non-zero) pixels say where the "
                            + "object goes; draw the shape in white on black.");
                }
                int[] bb = m.bounds();
                if (bb[2] < MIN_TARGET_SIDE || bb[3] < MIN_TARGET_SIDE) {
                    throw new UserInputException("The target mask's shape spans only " + bb[2] + "x" + bb[3] + " pixels of the "
                            + "output; make it at least " + MIN_TARGET_SIDE + "x" + MIN_TARGET_SIDE + ", as boxes must be.");
                }
            }
            for (Mask prev : instances) {
                if (prev.overlap(m) > 0) {
                    warnings.add("Targets overlap; where they overlap they form one region, so one larger object may appear.");
                    break;
                }
            }
            instances.add(m);
        }
        if (targets.isEmpty() && object != null && !object.isFull()) {
            // An object mask alone keeps the reference's layout: the object where it was, scaled to the output.
            instances.add(object.resize(outWidth, outHeight));
        }
        return new Placement(object, instances, refWidth, refHeight, outWidth, outHeight, List.copyOf(warnings));
    }

    private static Mask box(Target.Box b, int w, int h, Mask object, List<String> warnings) {
        if (b.width() <= 0 || b.height() <= 0) {
            throw new UserInputException("The target box " + b + " has no area: x,y,width,height needs a positive "
                    + "width and height.");
        }
        int x0 = Math.max(0, b.x());
        int y0 = Math.max(0, b.y());
        int x1 = (int) Math.min(w, (long) b.x() + b.width());
        int y1 = (int) Math.min(h, (long) b.y() + b.height());
        if (x1 - x0 <= 0 || y1 - y0 <= 0) {
            throw new UserInputException("The target box " + b + " lies outside the " + w + "x" + h
                    + " output. Boxes are x,y,width,height in output pixels, with 0,0 the top left corner.");
        }
        if (x1 - x0 < MIN_TARGET_SIDE || y1 - y0 < MIN_TARGET_SIDE) {
            throw new UserInputException("The target box " + b + " covers only " + (x1 - x0) + "x" + (y1 - y0)
                    + " pixels of the output; make it at least " + MIN_TARGET_SIDE + "x" + MIN_TARGET_SIDE + ".");
        }
        if (x1 - x0 != b.width() || y1 - y0 != b.height()) {
            warnings.add("The target box " + b + " reaches outside the " + w + "x" + h + " output; the object is placed in "
                    + "the full box and only its visible part is kept.");
        }
        // With an object mask the box receives the object's silhouette, stretched to the box;
        // the part outside the frame is cut off, as a camera would.
        return object == null ? Mask.box(w, h, b.x(), b.y(), b.width(), b.height())
                : object.placedInto(w, h, b.x(), b.y(), b.width(), b.height());
    }

    /** The mask at {@code w} x {@code h}: as is, resampled when only the scale differs, else refused. */
    static Mask fit(Mask m, int w, int h, String what, String frame) {
        if (m.width() == w && m.height() == h) {
            return m;
        }
        double a = (double) m.width() / m.height();
        double b = (double) w / h;
        if (Math.abs(a / b - 1) > ASPECT_TOLERANCE) {
            throw new UserInputException("The " + what + " is " + m.width() + "x" + m.height() + " but the " + frame
                    + " is " + w + "x" + h + ". Give a mask of the " + frame + "'s size (a mask with the same aspect ratio "
                    + "is resampled).");
        }
        return m.resize(w, h);
    }

    /** For the JSON sidecar and the image Info. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append("object: ").append(objectMask == null ? "whole reference" : new Target.Shape(objectMask).toString());
        for (Target t : targets) {
            s.append("; target: ").append(t instanceof Target.Box ? "box " + t : t.toString());
        }
        return s.toString();
    }
}
