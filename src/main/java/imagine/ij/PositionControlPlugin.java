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
        String source = imp == null ? null : RoiMasks.sourceWithTargets(imp);
        form.choice("Targets", new String[] {RoiMasks.Sources.ROI_MANAGER, RoiMasks.Sources.OVERLAY},
                source == null ? RoiMasks.Sources.ROI_MANAGER : source)
                .message("Each target's bounding rectangle receives one instance of the object. Targets drawn on the "
                        + (imp == null ? "reference" : imp.getWidth() + "x" + imp.getHeight() + " reference")
                        + " are scaled to the output size; the result shows them as an overlay.");
    }

    @Override
    String missingControls(ImagePlus imp) {
        if (ij.Macro.getOptions() != null || RoiMasks.sourceWithTargets(imp) != null) {
            return null; // a macro names its source; the run says if that one is empty
        }
        return "Position control puts the object where you mark targets, and none is marked yet: draw a rectangle on "
                + "the reference where the object should go and add it to the ROI Manager (Analyze>Tools>ROI Manager, "
                + "Add, or press T); repeat for more instances, then run " + title() + " again.";
    }

    @Override
    String objectNote(ImagePlus imp) {
        return RoiMasks.objectNote(imp);
    }

    @Override
    Controls readControls(Form.Values values, ImagePlus imp, Controls withObject, int outW, int outH) {
        String source = values.choice("targets");
        Controls c = withObject;
        List<ij.gui.Roi> rois = RoiMasks.targetRois(imp, source);
        c = RoiMasks.withoutTargetAsObject(c, imp, rois);
        for (Target t : RoiMasks.boxes(rois, imp.getWidth(), imp.getHeight(), outW, outH)) {
            c = c.withTarget(t);
        }
        return c;
    }
}
