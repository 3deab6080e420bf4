package imagine.ij;

import ij.ImagePlus;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import ij.process.ByteProcessor;
import imagine.UserInputException;
import imagine.controls.Controls;
import imagine.controls.Target;
import imagine.image.Mask;
import java.util.ArrayList;
import java.util.List;

/** ImageJ selections and mask images as the engine's masks and targets. */
final class RoiMasks {

    private RoiMasks() {}

    /**
     * The pixels an area selection covers, clipped to the frame (any area kind: rectangle, oval,
     * polygon, freehand, traced, composite). Lines and points mark no area and are refused.
     */
    static Mask fromRoi(Roi roi, int w, int h) {
        requireArea(roi, "mark the object");
        ByteProcessor bp = new ByteProcessor(w, h);
        bp.setColor(255);
        bp.fill(roi); // ImageJ's own rasterization, so the mask is exactly what the user sees selected
        byte[] px = (byte[]) bp.getPixels();
        float[] v = new float[w * h];
        for (int i = 0; i < v.length; i++) {
            v[i] = px[i] != 0 ? 1f : 0f;
        }
        return new Mask(w, h, v);
    }

    static void requireArea(Roi roi, String purpose) {
        if (!roi.isArea()) {
            throw new UserInputException("The selection '" + name(roi) + "' is a " + roi.getTypeAsString().toLowerCase()
                    + " selection, which cannot " + purpose + ". Use an area selection: rectangle, oval, polygon or "
                    + "freehand.");
        }
    }

    /** The object mask from the reference's selection, or null when there is no selection. */
    static Mask objectMask(ImagePlus imp) {
        Roi roi = imp.getRoi();
        if (roi == null) {
            return null;
        }
        double s = ImageConversion.workingScale(imp.getWidth(), imp.getHeight());
        if (s >= 1) {
            return fromRoi(roi, imp.getWidth(), imp.getHeight());
        }
        // A huge reference is converted scaled down; its mask is drawn at the same scale.
        requireArea(roi, "mark the object");
        Roi small = ij.plugin.RoiScaler.scale(roi, s, s, false);
        return fromRoi(small, Math.max(1, (int) Math.round(imp.getWidth() * s)),
                Math.max(1, (int) Math.round(imp.getHeight() * s)));
    }

    /** The ROIs in the ROI Manager (also in batch mode) or the reference's overlay; empty when there are none. */
    static List<Roi> available(ImagePlus imp, String source) {
        Roi[] rois;
        if (source.equals(Sources.SELECTION)) {
            Roi r = imp.getRoi();
            // A selection of several pieces (drawn with Shift) is one target per piece.
            rois = r == null || !r.isArea() ? new Roi[0] : r instanceof ij.gui.ShapeRoi s ? s.getRois() : new Roi[] {r};
        } else if (source.equals(Sources.OVERLAY)) {
            Overlay o = imp.getOverlay();
            rois = o == null ? new Roi[0] : o.toArray();
        } else {
            RoiManager rm = RoiManager.getInstance2();
            rois = rm == null ? new Roi[0] : rm.getRoisAsArray();
        }
        return List.of(rois);
    }

    /** Where targets are now: the ROI Manager when it holds some, else the overlay when it does, else null. */
    static String sourceWithTargets(ImagePlus imp) {
        if (!available(imp, Sources.ROI_MANAGER).isEmpty()) {
            return Sources.ROI_MANAGER;
        }
        return available(imp, Sources.OVERLAY).isEmpty() ? null : Sources.OVERLAY;
    }

    /**
     * Where position control's targets are now: as {@link #sourceWithTargets}, else the reference's
     * area selection (the rectangle just drawn), else null.
     */
    static String positionSource(ImagePlus imp) {
        String s = sourceWithTargets(imp);
        return s != null ? s : available(imp, Sources.SELECTION).isEmpty() ? null : Sources.SELECTION;
    }

    /** Whether the reference's active selection is one of {@code targets} (same bounds and type). */
    static boolean selectionIsTarget(ImagePlus imp, List<Roi> targets) {
        Roi active = imp.getRoi();
        if (active == null) {
            return false;
        }
        for (Roi t : targets) {
            if (t.getBounds().equals(active.getBounds()) && t.getType() == active.getType()) {
                return true;
            }
        }
        return false;
    }

    /** What marks the object, in the words the dialog and the Log both use. */
    static String objectNote(ImagePlus imp) {
        String source = sourceWithTargets(imp);
        if (source != null && selectionIsTarget(imp, available(imp, source))) {
            return "its selection is one of the targets (" + source + "), so the whole reference is the object.";
        }
        return imp.getRoi() != null && imp.getRoi().isArea() ? "its selection (not a target) marks the object."
                : "the whole reference is the object (a selection on it, not among the targets, would mark it).";
    }

    /** Target ROIs from the ROI Manager (also in batch mode) or the reference's overlay. */
    static List<Roi> targetRois(ImagePlus imp, String source) {
        Roi[] rois = available(imp, source).toArray(new Roi[0]);
        if (rois.length == 0 && source.equals(Sources.SELECTION)) {
            throw new UserInputException("Targets is set to Selection, but the reference has no area selection: draw a "
                    + "rectangle where the object should go, then run again.");
        }
        if (rois.length == 0) {
            throw new UserInputException("No target selections in the " + source + ". Draw where the object should go "
                    + "on the reference (or an image of the same size) and add it "
                    + (source.equals(Sources.OVERLAY) ? "to the overlay (Image>Overlay>Add Selection, or B)"
                            : "to the ROI Manager (Analyze>Tools>ROI Manager, Add, or T)") + ", then run again.");
        }
        return List.of(rois);
    }

    /**
     * Controls whose object mask is dropped when the reference's active selection is one of the
     * targets: a target just added to the ROI Manager stays selected, and it would otherwise be
     * taken for the object.
     */
    static Controls withoutTargetAsObject(Controls c, ImagePlus imp, List<Roi> targets, String source) {
        if (c.objectMask() == null || !(source.equals(Sources.SELECTION) || selectionIsTarget(imp, targets))) {
            return c;
        }
        ij.IJ.log("IMAGINE: the reference's selection is one of the targets, so the whole reference is the object.");
        return new Controls(null, c.targets());
    }

    /** Position control: each ROI's bounding rectangle, mapped from the reference frame to the output frame. */
    static List<Target> boxes(List<Roi> rois, int refW, int refH, int outW, int outH) {
        double sx = (double) outW / refW;
        double sy = (double) outH / refH;
        List<Target> out = new ArrayList<>();
        for (Roi r : rois) {
            requireArea(r, "be a target");
            java.awt.Rectangle b = r.getBounds();
            Target.Box box = new Target.Box((int) Math.round(b.x * sx), (int) Math.round(b.y * sy),
                    (int) Math.max(1, Math.round(b.width * sx)), (int) Math.max(1, Math.round(b.height * sy)));
            requireSize(r, b.intersection(new java.awt.Rectangle(refW, refH)), sx, sy, outW, outH);
            out.add(box);
        }
        return out;
    }

    /**
     * Refuses a target too small in the output, in the user's terms: where it was drawn on the
     * reference, and how large to draw it (the engine's own check speaks in output pixels).
     */
    private static void requireSize(Roi r, java.awt.Rectangle inside, double sx, double sy, int outW, int outH) {
        int min = Controls.MIN_TARGET_SIDE;
        if (inside.isEmpty()) {
            throw new UserInputException("The target '" + name(r) + "' lies outside the reference; draw targets on it.");
        }
        if (inside.width * sx < min - 0.5 || inside.height * sy < min - 0.5) {
            throw new UserInputException(String.format(java.util.Locale.ROOT, "The target '%s' (%dx%d at %d,%d on the "
                    + "reference) becomes %.0fx%.0f pixels of the %dx%d output, too small for an object: draw it at "
                    + "least %dx%d on the reference, or ask for a larger output.", name(r), inside.width, inside.height,
                    inside.x, inside.y, inside.width * sx, inside.height * sy, outW, outH,
                    (int) Math.ceil(min / sx), (int) Math.ceil(min / sy)));
        }
    }

    /** Shape control: each ROI's filled shape, mapped from the reference frame to the output frame. */
    static List<Target> shapes(List<Roi> rois, int refW, int refH, int outW, int outH) {
        List<Target> out = new ArrayList<>();
        for (Roi r : rois) {
            requireArea(r, "be a target shape");
            Mask m = fromRoi(r, refW, refH);
            if (m.isEmpty()) {
                throw new UserInputException("The target selection '" + name(r) + "' lies outside the reference "
                        + refW + "x" + refH + "; targets are drawn in the reference's frame.");
            }
            out.add(new Target.Shape(m.resize(outW, outH)));
        }
        return out;
    }

    /** The Log's line on selections drawn on {@code imp} and mapped to a {@code outW x outH} output, or null. */
    static String scaledNote(ImagePlus imp, int outW, int outH) {
        return imp.getWidth() == outW && imp.getHeight() == outH ? null : "targets drawn on the " + imp.getWidth() + "x"
                + imp.getHeight() + " reference are scaled to the " + outW + "x" + outH + " output; the result shows them "
                + "as an overlay.";
    }

    /**
     * Whether the image's current plane holds at most two distinct values (for RGB, two colours): a
     * mask. A grey photo thresholded at half its range would make specks, not a silhouette.
     */
    static boolean isTwoValued(ImagePlus imp) {
        ij.process.ImageProcessor ip = imp.getProcessor();
        java.util.Set<Float> seen = new java.util.HashSet<>();
        int n = ip.getPixelCount();
        for (int i = 0; i < n; i++) {
            float v = ip instanceof ij.process.ColorProcessor ? ip.get(i) & 0xffffff : ip.getf(i);
            if (seen.add(v) && seen.size() > 2) {
                return false;
            }
        }
        return true;
    }

    /** A mask image as displayed (LUT and display range applied); the object is what stands out from its border. */
    static Mask fromImage(ImagePlus mask) {
        return Mask.fromImage(ImageConversion.toRgb(mask));
    }

    private static String name(Roi r) {
        return r.getName() != null ? r.getName() : r.getTypeAsString();
    }

    /** Where target selections come from (dialog choices, also macro values). */
    static final class Sources {
        static final String ROI_MANAGER = "ROI Manager";
        static final String OVERLAY = "Overlay";
        static final String MASK_IMAGE = "Mask image";
        static final String SELECTION = "Selection";

        private Sources() {}
    }
}
