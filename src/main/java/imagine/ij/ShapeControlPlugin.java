package imagine.ij;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import imagine.UserInputException;
import imagine.controls.Controls;
import imagine.controls.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Plugins>IMAGINE>IMAGINE Shape Control...: gives the object the silhouette of a binary mask
 * image (the object is what stands out from the mask's border; same size or aspect ratio as the
 * output), or of the area selections in the ROI Manager or the reference's overlay (drawn on the
 * reference, mapped to the output frame). Macro keys: targets=[Mask image], [ROI Manager] or
 * Overlay; mask=[title of the mask image].
 */
public final class ShapeControlPlugin extends ImagineCommand {

    @Override
    String title() {
        return "IMAGINE Shape Control";
    }

    @Override
    void addControlFields(Form form, ImagePlus imp) {
        form.choice("targets", new String[] {RoiMasks.Sources.MASK_IMAGE, RoiMasks.Sources.ROI_MANAGER,
                RoiMasks.Sources.OVERLAY}, RoiMasks.Sources.MASK_IMAGE);
        List<String> titles = new ArrayList<>();
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            ImagePlus i = WindowManager.getImage(id);
            if (i != null && i != imp) {
                titles.add(i.getTitle());
            }
        }
        if (titles.isEmpty()) {
            titles.add("(no other image open)");
        }
        form.choice("mask", titles.toArray(new String[0]), titles.get(0));
    }

    @Override
    Controls readControls(GenericDialog gd, ImagePlus imp, Controls withObject, int outW, int outH) {
        String source = gd.getNextChoice();
        String maskTitle = gd.getNextChoice();
        Controls c = withObject;
        if (source.equals(RoiMasks.Sources.MASK_IMAGE)) {
            ImagePlus mask = WindowManager.getImage(maskTitle);
            if (mask == null || mask == imp) {
                throw new UserInputException("Shape control needs a mask image: open a binary image of the output's "
                        + "size (white object on black, or black on white) and choose it as mask.");
            }
            return c.withTarget(new Target.Shape(RoiMasks.fromImage(mask)));
        }
        List<ij.gui.Roi> rois = RoiMasks.targetRois(imp, source);
        c = RoiMasks.withoutTargetAsObject(c, imp, rois);
        for (Target t : RoiMasks.shapes(rois, imp.getWidth(), imp.getHeight(), outW, outH)) {
            c = c.withTarget(t);
        }
        return c;
    }
}
