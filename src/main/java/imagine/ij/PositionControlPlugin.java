package imagine.ij;

import ij.ImagePlus;
import imagine.controls.Controls;
import imagine.controls.Target;
import java.util.List;

/**
 * Plugins>IMAGINE>IMAGINE Position Control...: puts an instance of the object in every target
 * rectangle, taken from the ROI Manager or the reference's overlay. Targets are drawn on the
 * reference and mapped to the output frame (scaled when the output size differs). Macro key:
 * targets=[ROI Manager] or targets=Overlay.
 */
public final class PositionControlPlugin extends ImagineCommand {

    @Override
    String title() {
        return "IMAGINE Position Control";
    }

    @Override
    void addControlFields(Form form, ImagePlus imp) {
        String source = imp == null ? null : RoiMasks.positionSource(imp);
        form.choice("Targets", new String[] {RoiMasks.Sources.ROI_MANAGER, RoiMasks.Sources.OVERLAY,
            RoiMasks.Sources.SELECTION}, source == null ? RoiMasks.Sources.ROI_MANAGER : source)
                .message((RoiMasks.Sources.SELECTION.equals(source) ? "The selection you drew is the target (the ROI "
                        + "Manager and the overlay hold none). " : "")
                        + "Each target's bounding rectangle receives one instance of the object. Targets drawn on the "
                        + (imp == null ? "reference" : imp.getWidth() + "x" + imp.getHeight() + " reference")
                        + " are scaled to the output size; the result shows them as an overlay.");
    }

    @Override
    String missingControls(ImagePlus imp) {
        if (ij.Macro.getOptions() != null || RoiMasks.positionSource(imp) != null) {
            return null; // a macro names its source; the run says if that one is empty
        }
        return "Position control puts the object where you mark targets, and none is marked yet: draw a rectangle on "
                + "the reference where the object should go and run " + title() + " again; for more instances add "
                + "each rectangle to the ROI Manager (Analyze>Tools>ROI Manager, Add, or press T).";
    }

    @Override
    String objectNote(ImagePlus imp) {
        return RoiMasks.Sources.SELECTION.equals(RoiMasks.positionSource(imp))
                ? "its selection is the target, so the whole reference is the object." : RoiMasks.objectNote(imp);
    }

    @Override
    String targetsNote(Form.Values values, ImagePlus imp, Controls controls, int outW, int outH) {
        return RoiMasks.scaledNote(imp, outW, outH);
    }

    @Override
    Controls readControls(Form.Values values, ImagePlus imp, Controls withObject, int outW, int outH) {
        String source = values.choice("targets");
        Controls c = withObject;
        List<ij.gui.Roi> rois = RoiMasks.targetRois(imp, source);
        c = RoiMasks.withoutTargetAsObject(c, imp, rois, source);
        for (Target t : RoiMasks.boxes(rois, imp.getWidth(), imp.getHeight(), outW, outH)) {
            c = c.withTarget(t);
        }
        return c;
    }
}
