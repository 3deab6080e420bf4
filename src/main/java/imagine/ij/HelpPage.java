package imagine.ij;

import imagine.config.ImagineConfig;
import imagine.model.ModelDownloader;
import imagine.model.ModelSpec;

/**
 * The dialogs' Help: what the command does, what each field means, how long a run takes, how to
 * install a model, and, for experts, every engine setting the Settings field takes (from the
 * configuration's own table).
 */
final class HelpPage {

    private HelpPage() {}

    /** The newcomer's three steps, what the command does, and what its controls mean. */
    private static String intro(String command) {
        StringBuilder sb = new StringBuilder("<p><b>First time?</b> 1. Open one image (File&gt;Open; a photo or a "
                + "micrograph). 2. Run this command and press OK: the defaults make one image of the same size (the "
                + "dialog says how long that takes on this machine; the fast preset takes about a third of it). 3. The "
                + "new image opens beside yours; run again with another Seed (More options) for another one.</p>");
        sb.append("<p>Makes new images from the active image alone: they keep what the image shows and how it looks "
                + "(its textures, colours and parts) in new arrangements. The pixels start as noise (for a photo, over its blurred layout) and are optimized "
                + "against an ImageNet classifier (IMAGINE, Wang et al., CVPR 2021); nothing is trained. The reference "
                + "is never changed; the samples open as a new image, titled <i>IMAGINE &lt;reference&gt; #&lt;run&gt;</i>, "
                + "with every parameter in Image&gt;Show Info. A grey reference gives grey samples of its own type and "
                + "display range; a composite of 2-3 channels gives a composite.</p>");
        if (command.contains("Position")) {
            sb.append("<p><b>Position control</b>: each rectangle in the ROI Manager (or the reference's overlay; "
                    + "when both are empty, the rectangle just drawn) receives one instance of the object. The "
                    + "rectangles are drawn on the reference and scaled to the output size; the result shows them as an "
                    + "overlay (Image&gt;Overlay&gt;Hide Overlay hides it). A selection on the reference that is not one "
                    + "of the targets marks the object.</p>");
        } else if (command.contains("Shape")) {
            sb.append("<p><b>Shape control</b>: the object takes the silhouette of a mask image you choose (white "
                    + "object on black, the output's size or aspect ratio) or of the area selections in the ROI "
                    + "Manager or the overlay (drawn on the reference, scaled to the output).</p>");
        }
        return sb.toString();
    }

    static String html(String command) {
        StringBuilder sb = new StringBuilder("<html><h2>").append(command).append("</h2>").append(intro(command));
        sb.append("<h3>Fields</h3><table border=0 cellpadding=2>")
                .append(row("Samples", "how many images to make; they are optimized together (more costs more time "
                        + "and memory)"))
                .append(row("Width, Height", "the output size in pixels (32-2048); 0 = the reference's own, so "
                        + "objects keep their size and the calibration stays true. Above 640 px a picture is refined in "
                        + "windows."))
                .append(row("Iterations", "0 = as the preset says; more = longer and usually cleaner"))
                .append(row("Seed", "the same seed and settings give the same samples on the same machine"))
                .append(row("Preset", "fast (a first look), default, quality (the slowest); the dialog shows their "
                        + "time on this machine"))
                .append(row("Model", "the ImageNet classifier the pixels are optimized against; only installed models "
                        + "are listed"))
                .append(row("Class", "what the samples should be: -1 = the reference's own class (what the network "
                        + "reads in it; when no class fits, the samples take its look alone and the Log says so), a "
                        + "class number (0-999) or name (e.g. <i>tabby</i>), or <b>none</b>: no class, "
                        + "the samples take the reference's look only. The dialog lists the reference's five likeliest "
                        + "classes to pick from and finds classes by name, and says when none fits (most micrographs "
                        + "and textures)."))
                .append(row("Models folder", "where the models are; the Browse button picks it"))
                .append(row("Settings", "for experts: engine settings as key=value (table below)"))
                .append(row("All slices", "each plane of a stack in turn (one result stack)"))
                .append(row("Preview", "a live window that shows the samples while they form"))
                .append("</table>");
        sb.append("<h3>While it runs</h3><p>The status bar shows the iteration, the loss and the time left; "
                + "<b>Esc</b> stops the run and still opens the samples made so far, marked cancelled.</p>");
        sb.append("<h3>Installing a model</h3><p>Put a model's TensorFlow.js files into a folder named after it "
                + "inside the models folder, e.g. <tt>").append(ModelSpec.DEFAULT_ID).append("/model.json</tt> and the "
                + "weight files it names, from <tt>").append(ModelDownloader.TFJS_BASE).append(ModelSpec.DEFAULT_ID)
                .append("/</tt>. Plugins&gt;IMAGINE&gt;IMAGINE Settings shows which models are found where.</p>");
        sb.append("<p>Macros: the Recorder records every field by its key (lower case, e.g. "
                + "<tt>class=none models_folder=[...]</tt>). The README of IMAGINE for Fiji explains the method, the "
                + "presets and the measurements.</p>");
        sb.append("<h3>Engine settings</h3><p>Type any of these into the <b>Settings</b> field as "
                + "<tt>key=value</tt>, separated by spaces; in a macro: <tt>settings=[feature_weight=5 jitter=16]</tt>."
                + "</p><table border=1 cellpadding=2><tr><th>setting</th><th>default</th><th>range</th>"
                + "<th>what it does</th></tr>");
        for (ImagineConfig.Setting s : ImagineConfig.settings()) {
            sb.append("<tr><td><tt>").append(s.name()).append("</tt></td><td>").append(escape(s.defaultText()))
                    .append("</td><td>").append(s.limits()).append("</td><td>").append(escape(s.help()))
                    .append("</td></tr>");
        }
        return sb.append("</table></html>").toString();
    }

    private static String row(String field, String text) {
        return "<tr><td valign=top><b>" + field + "</b></td><td>" + text + "</td></tr>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
