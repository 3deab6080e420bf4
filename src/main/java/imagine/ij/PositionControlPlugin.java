package imagine.ij;

import ij.ImagePlus;
import ij.gui.GenericDialog;
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
        form.choice("targets", new String[] {RoiMasks.Sources.ROI_MANAGER, RoiMasks.Sources.OVERLAY},
                RoiMasks.Sources.ROI_MANAGER)
                .message("Each target's bounding rectangle, drawn on the reference, receives one instance.");
    }

    @Override
    Controls readControls(GenericDialog gd, ImagePlus imp, Controls withObject, int outW, int outH) {
        String source = gd.getNextChoice();
        Controls c = withObject;
        List<ij.gui.Roi> rois = RoiMasks.targetRois(imp, source);
        c = RoiMasks.withoutTargetAsObject(c, imp, rois);
        for (Target t : RoiMasks.boxes(rois, imp.getWidth(), imp.getHeight(), outW, outH)) {
            c = c.withTarget(t);
        }
        return c;
    }
}
