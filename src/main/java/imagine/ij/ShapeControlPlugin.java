package imagine.ij;

import ij.ImagePlus;
import ij.WindowManager;
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

    /** The mask field's first item: a mask is always chosen by the user, never taken by default. */
    static final String CHOOSE = "(choose the mask image)";

    @Override
    void addControlFields(Form form, ImagePlus imp) {
        // Macros keep the defaults they were written against (Mask image, the first other image); the dialog
        // proposes where targets are and never picks a mask by itself.
        boolean macro = ij.Macro.getOptions() != null;
        String source = imp == null || macro ? null : RoiMasks.sourceWithTargets(imp);
        form.choice("Targets", new String[] {RoiMasks.Sources.MASK_IMAGE, RoiMasks.Sources.ROI_MANAGER,
                RoiMasks.Sources.OVERLAY}, source == null ? RoiMasks.Sources.MASK_IMAGE : source);
        List<String> titles = new ArrayList<>();
        titles.add(CHOOSE);
        List<ImagePlus> others = otherImages(imp);
        // Macros name any image (and are told when it is no mask); the dialog offers masks only.
        others.stream().filter(i -> macro || RoiMasks.isTwoValued(i)).forEach(i -> titles.add(i.getTitle()));
        long notMasks = others.stream().filter(i -> !RoiMasks.isTwoValued(i)).count();
        form.choice("Mask", titles.toArray(new String[0]), macro && titles.size() > 1 ? titles.get(1) : CHOOSE);
        form.message("A mask image: white object on black (or black on white), the output's size or aspect ratio. "
                + (notMasks > 0 && !macro ? notMasks + " open image(s) with more than two values are not offered "
                + "(Process > Binary > Convert to Mask makes a mask). " : "")
                + "Selections drawn on the " + (imp == null ? "reference" : imp.getWidth() + "x" + imp.getHeight()
                + " reference") + " are scaled to the output size; the result shows the shapes as an overlay.");
        if (form.dialog() != null) {
            // The mask field means something only for "Mask image": greyed out otherwise.
            java.awt.Choice targets = (java.awt.Choice) form.dialog().getChoices().get(form.dialog().getChoices().size() - 2);
            java.awt.Choice mask = (java.awt.Choice) form.dialog().getChoices().lastElement();
            mask.setEnabled(RoiMasks.Sources.MASK_IMAGE.equals(targets.getSelectedItem()));
            targets.addItemListener(e -> mask.setEnabled(RoiMasks.Sources.MASK_IMAGE.equals(targets.getSelectedItem())));
        }
    }

    /** The open images other than the reference. */
    private static List<ImagePlus> otherImages(ImagePlus imp) {
        List<ImagePlus> images = new ArrayList<>();
        for (int id : WindowManager.getIDList() == null ? new int[0] : WindowManager.getIDList()) {
            ImagePlus i = WindowManager.getImage(id);
            if (i != null && i != imp) {
                images.add(i);
            }
        }
        return images;
    }

    @Override
    String missingControls(ImagePlus imp) {
        if (ij.Macro.getOptions() != null || RoiMasks.sourceWithTargets(imp) != null
                || otherImages(imp).stream().anyMatch(RoiMasks::isTwoValued)) {
            return null;
        }
        return "Shape control gives the object the silhouette you provide, and there is none yet: open a mask image "
                + "(white object on black, the output's size or aspect ratio), or draw the shape on the reference and "
                + "add it to the ROI Manager (Analyze>Tools>ROI Manager, Add, or press T); then run " + title() + " again.";
    }

    @Override
    String objectNote(ImagePlus imp) {
        return RoiMasks.objectNote(imp);
    }

    @Override
    String targetsNote(Form.Values values, ImagePlus imp, Controls controls, int outW, int outH) {
        if (!values.choice("targets").equals(RoiMasks.Sources.MASK_IMAGE)) {
            return RoiMasks.scaledNote(imp, outW, outH);
        }
        // Its coverage from the mask readControls read (its one target), not read again.
        ImagePlus mask = WindowManager.getImage(values.choice("mask"));
        imagine.image.Mask m = ((Target.Shape) controls.targets().get(controls.targets().size() - 1)).mask();
        return String.format(java.util.Locale.ROOT, "the shape comes from the mask %s (%dx%d; the object covers %.0f%% "
                + "of it).", mask.getTitle(), mask.getWidth(), mask.getHeight(), 100 * m.coverage());
    }

    @Override
    Controls readControls(Form.Values values, ImagePlus imp, Controls withObject, int outW, int outH) {
        String source = values.choice("targets");
        String maskTitle = values.choice("mask");
        Controls c = withObject;
        if (source.equals(RoiMasks.Sources.MASK_IMAGE)) {
            ImagePlus mask = CHOOSE.equals(maskTitle) ? null : WindowManager.getImage(maskTitle);
            if (mask == null || mask == imp) {
                throw new UserInputException("Choose the mask image in the Mask field: a binary image (white object on "
                        + "black, or black on white) of the output's size or aspect ratio. Or set Targets to ROI Manager "
                        + "or Overlay to use selections drawn on the reference.");
            }
            if (!RoiMasks.isTwoValued(mask)) {
                throw new UserInputException(mask.getTitle() + " is no mask: it holds more than two values, and a "
                        + "threshold of it would make specks rather than one silhouette. Make a mask of it first (Image > "
                        + "Adjust > Threshold..., then Process > Binary > Convert to Mask) or choose another image.");
            }
            return c.withTarget(new Target.Shape(RoiMasks.fromImage(mask)));
        }
        List<ij.gui.Roi> rois = RoiMasks.targetRois(imp, source);
        c = RoiMasks.withoutTargetAsObject(c, imp, rois, source);
        for (Target t : RoiMasks.shapes(rois, imp.getWidth(), imp.getHeight(), outW, outH)) {
            c = c.withTarget(t);
        }
        return c;
    }
}
