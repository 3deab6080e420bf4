package imagine.ij;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import java.awt.Button;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Component;
import java.awt.Container;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.Label;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.ActionListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import java.util.function.Supplier;

/**
 * What a new user meets in real ImageJ, run by {@link DialogsIT} in its own JVM under a virtual
 * display with a window manager: a macro's missing-model error, the Synthesize dialog on a photo
 * (class suggestions, a mistyped class kept in the re-shown dialog, a class found by name, the
 * result window's title, zoom and place, the live preview's title), the dialog on a micrograph
 * (no class fits: none proposed), position control without targets, shape control without a
 * chosen mask, and the Settings dialog. It prints one line per measurement ({@code DIALOG},
 * {@code WINDOW}, {@code CHECK}) and takes a screenshot of each window into the given folder.
 * Arguments: ImageJ folder, models folder, screenshots folder, photo, micrograph.
 */
public final class DialogsDriver {

    private static Path shots;

    public static void main(String[] args) throws Exception {
        System.setProperty("plugins.dir", args[0]);
        String models = args[1];
        shots = Path.of(args[2]);
        new ImageJ();
        waitFor(() -> IJ.getInstance() != null && IJ.getInstance().isShowing() ? IJ.getInstance() : null, 30);
        IJ.run("IMAGINE Settings...", "device=cpu models_folder=[" + models + "]");
        ImagePlus photo = IJ.openImage(args[3]);
        photo.show();
        waitFor(() -> WindowManager.getCurrentImage() == photo ? photo : null, 20);

        // 1. A macro names a models folder without models: the message must fit on the screen.
        String longFolder = "/home/someone/Fiji.app/models/a/folder/with/a/rather/long/path/that/does/not/exist";
        Thread macro = new Thread(() -> IJ.runMacro("run(\"IMAGINE Synthesize...\", \"samples=1 width=64 height=64 "
                + "iterations=3 preset=fast class=-1 models_folder=[" + longFolder + "]\");"), "macro");
        macro.start();
        Dialog missing = message("IMAGINE", 60);
        measure(missing, "error-missing-model");
        check("missing-model-text", text(missing).contains("is not in") ? "names the folder" : text(missing));
        press(missing, "OK");
        macro.join(20_000);

        // 2. The Synthesize dialog on a photo.
        IJ.selectWindow(photo.getID());
        IJ.doCommand("IMAGINE Synthesize...");
        GenericDialog gd = dialog("IMAGINE Synthesize", 120);
        measure(gd, "synthesize-dialog-photo");
        check("models-listed", String.join(",", items((Choice) gd.getChoices().get(1))));
        check("class-default", field(gd, 0).getText());
        Choice pick = helperChoice(gd);
        check("class-suggestions", pick == null ? "none" : String.join(" | ", items(pick)));
        fill(gd, "64", "64", "5", "fast", "zzz no such class");
        press(gd, "OK");
        Dialog wrong = message("IMAGINE", 30);
        measure(wrong, "error-unknown-class");
        press(wrong, "OK");
        GenericDialog again = shownAgain(gd);
        check("typed-values-kept", field(again, 0).getText() + " width=" + number(again, 1).getText());
        EventQueue.invokeAndWait(() -> {
            field(again, 0).setText("tabby");
            ((Checkbox) again.getCheckboxes().get(1)).setState(true); // the live preview
            number(again, 3).setText("60");
        });
        List<String> previews = new ArrayList<>();
        Thread watcher = new Thread(() -> watchPreview(previews), "preview watcher");
        watcher.setDaemon(true);
        watcher.start();
        press(again, "OK");
        ImagePlus result = waitFor(() -> WindowManager.getImage("IMAGINE " + photo.getTitle() + " #1"), 180);
        Thread.sleep(1500);
        check("preview", previews.isEmpty() ? "not seen" : previews.get(0));
        measure(result.getWindow(), "result-photo");
        check("result-title", result.getTitle());
        check("result-zoom", String.format("%.2f shown %dx%d, reference shown %dx%d", result.getCanvas().getMagnification(),
                result.getCanvas().getWidth(), result.getCanvas().getHeight(), photo.getCanvas().getWidth(),
                photo.getCanvas().getHeight()));
        java.awt.Rectangle rb = result.getWindow().getBounds();
        java.awt.Rectangle pb = photo.getWindow().getBounds();
        check("result-beside", beside(result.getWindow(), rb, pb));
        check("info-target-class", String.join(" / ", result.getInfoProperty().lines()
                .filter(l -> l.startsWith("target_class")).toList()));
        screenshotScreen("result-beside-reference");

        // 3. The Synthesize dialog on a micrograph: no class fits; -1 stays, and the run leaves the class term off.
        ImagePlus micro = IJ.openImage(args[4]);
        micro.show();
        waitFor(() -> WindowManager.getCurrentImage() == micro ? micro : null, 20);
        IJ.doCommand("IMAGINE Synthesize...");
        GenericDialog gm = dialog("IMAGINE Synthesize", 120);
        measure(gm, "synthesize-dialog-micrograph");
        check("micrograph-class-default", field(gm, 0).getText());
        check("micrograph-note", text(gm).contains("knows no object like this reference") ? "says no class fits" : text(gm));
        Choice microPick = helperChoice(gm);
        check("micrograph-suggestions", microPick == null ? "none" : String.join(" | ", items(microPick)));
        fill(gm, "64", "64", "5", "fast", null);
        press(gm, "OK");
        ImagePlus microResult = waitFor(() -> WindowManager.getImage("IMAGINE " + micro.getTitle() + " #1"), 180);
        check("micrograph-result", microResult.getBitDepth() + "-bit " + microResult.getWidth() + "x"
                + microResult.getHeight() + "; " + microResult.getInfoProperty().lines()
                .filter(l -> l.startsWith("target_class")).findFirst().orElse("?"));

        // 4. Position control with no targets anywhere: said before the form.
        IJ.selectWindow(photo.getID());
        IJ.doCommand("IMAGINE Position Control...");
        Dialog noTargets = message("IMAGINE", 30);
        measure(noTargets, "error-position-no-targets");
        press(noTargets, "OK");

        // 5. Shape control: with only photos and results open (no mask), said before the form; with a mask
        //    open, the list offers it alone, and it is never taken by default.
        IJ.selectWindow(photo.getID());
        IJ.doCommand("IMAGINE Shape Control...");
        Dialog noMaskOpen = message("IMAGINE", 60);
        check("shape-no-mask-open", text(noMaskOpen).contains("open a mask image") ? "says to open a mask" : text(noMaskOpen));
        press(noMaskOpen, "OK");
        ImagePlus oval = IJ.createImage("oval-mask", "8-bit black", 64, 64, 1);
        oval.getProcessor().setColor(255);
        oval.getProcessor().fillOval(12, 8, 40, 48);
        oval.show();
        IJ.selectWindow(photo.getID());
        waitFor(() -> WindowManager.getCurrentImage() == photo ? photo : null, 20);
        IJ.doCommand("IMAGINE Shape Control...");
        GenericDialog gs = dialog("IMAGINE Shape Control", 120);
        Choice mask = (Choice) gs.getChoices().get(gs.getChoices().size() - 1);
        check("shape-mask-default", mask.getSelectedItem() + (mask.isEnabled() ? " (enabled)" : " (disabled)"));
        check("shape-mask-items", String.join(" | ", items(mask)));
        measure(gs, "shape-dialog");
        fill(gs, "64", "64", "5", "fast", null);
        press(gs, "OK");
        Dialog noMask = message("IMAGINE", 30);
        measure(noMask, "error-shape-no-mask");
        press(noMask, "OK");
        GenericDialog gs2 = shownAgain(gs);
        check("shape-dialog-again", gs2.getTitle());
        press(gs2, "Cancel");

        // 6. Settings.
        IJ.doCommand("IMAGINE Settings...");
        GenericDialog st = dialog("IMAGINE Settings", 60);
        measure(st, "settings-dialog");
        check("settings-text", text(st).replace('\n', ' '));
        press(st, "Cancel");

        // 7. References of other kinds beside their samples (issue 24): a 16-bit grayscale image with
        //    a LUT and a calibration, and a 3-channel composite; each sample comes back in its kind.
        for (ImagePlus open : new ImagePlus[] {photo, result, micro, microResult}) {
            open.changes = false;
            open.close();
        }
        ImagePlus gray = IJ.openImage(args[4]);
        IJ.run(gray, "16-bit", "");
        IJ.run(gray, "Multiply...", "value=180");
        IJ.run(gray, "Fire", "");
        IJ.run(gray, "Properties...", "unit=um pixel_width=0.65 pixel_height=0.65");
        gray.setTitle("cell-16bit");
        gray.resetDisplayRange();
        gray.show();
        ImagePlus grayOut = kindRun(gray, models);
        check("kind-16bit", grayOut.getBitDepth() + "-bit " + grayOut.getNChannels() + "ch lut="
                + (grayOut.getProcessor().getLut().getRed(255) == gray.getProcessor().getLut().getRed(255)
                        && grayOut.getProcessor().getLut().getGreen(128) == gray.getProcessor().getLut().getGreen(128)
                        ? "same" : "other") + " unit=" + grayOut.getCalibration().getUnit() + " range="
                + (int) grayOut.getDisplayRangeMin() + ".." + (int) grayOut.getDisplayRangeMax() + " ref range="
                + (int) gray.getDisplayRangeMin() + ".." + (int) gray.getDisplayRangeMax());
        // A 550x660 field at 0.65 um/px made into a 96x96 sample: the sample's pixels cover more of the specimen.
        check("kind-16bit-pixel", String.format(java.util.Locale.ROOT, "%.4f", grayOut.getCalibration().pixelWidth));
        screenshotScreen("kind-16bit-beside-reference");
        grayOut.changes = false;
        grayOut.close();
        gray.changes = false;
        gray.close();

        ImagePlus rgb = IJ.openImage(args[3]);
        IJ.run(rgb, "Make Composite", "display=Composite");
        ImagePlus composite = WindowManager.getCurrentImage() != null && WindowManager.getCurrentImage().isComposite()
                ? WindowManager.getCurrentImage() : rgb;
        composite.setTitle("chelsea-composite");
        composite.show();
        ImagePlus compositeOut = kindRun(composite, models);
        check("kind-composite", compositeOut.getBitDepth() + "-bit " + compositeOut.getNChannels() + "ch composite="
                + compositeOut.isComposite());
        screenshotScreen("kind-composite-beside-reference");
        Thread.sleep(500);
        System.out.println("DONE");
        System.exit(0);
    }

    /** A short synthesis of {@code ref} through the menu command, as a macro runs it; its result window. */
    private static ImagePlus kindRun(ImagePlus ref, String models) throws InterruptedException {
        waitFor(() -> WindowManager.getCurrentImage() == ref ? ref : null, 20);
        // The live preview in the reference's kind: its bit depth while it is open.
        List<String> preview = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            long end = System.currentTimeMillis() + 120_000;
            while (preview.isEmpty() && System.currentTimeMillis() < end) {
                ImagePlus p = WindowManager.getImage("IMAGINE preview of " + ref.getTitle() + " #1");
                if (p != null) {
                    preview.add(p.getBitDepth() + "-bit");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "preview kind watcher");
        watcher.start();
        IJ.run(ref, "IMAGINE Synthesize...", "samples=1 width=96 height=96 iterations=300 seed=1 preset=fast "
                + "model=mobilenet_v1_0.75_224 class=-1 models_folder=[" + models + "] preview");
        ImagePlus out = waitFor(() -> WindowManager.getImage("IMAGINE " + ref.getTitle() + " #1"), 180);
        watcher.join(1000);
        check("preview-kind-" + ref.getTitle(), preview.isEmpty() ? "not seen" : preview.get(0));
        Thread.sleep(1500); // placed and painted
        java.awt.Rectangle ob = out.getWindow().getBounds();
        java.awt.Rectangle rb = ref.getWindow().getBounds();
        check("kind-beside-" + ref.getTitle(), beside(out.getWindow(), ob, rb));
        return out;
    }

    /** Where a result window (bounds {@code ob}) lies against its reference's ({@code rb}), and whether all on screen. */
    private static String beside(java.awt.Window w, java.awt.Rectangle ob, java.awt.Rectangle rb) {
        String side = ob.x >= rb.x + rb.width ? "right of the reference" : ob.x + ob.width <= rb.x
                ? "left of the reference" : "over the reference " + ob + " " + rb;
        java.awt.Rectangle screen = w.getGraphicsConfiguration().getBounds();
        return screen.contains(ob) ? side : side + ", partly off the screen " + ob + " " + screen;
    }

    /** Sets width, height, iterations, preset and (when given) the class, as a user types them. */
    private static void fill(GenericDialog gd, String w, String h, String iterations, String preset, String cls)
            throws Exception {
        EventQueue.invokeAndWait(() -> {
            number(gd, 0).setText("1");
            number(gd, 1).setText(w);
            number(gd, 2).setText(h);
            number(gd, 3).setText(iterations);
            ((Choice) gd.getChoices().get(0)).select(preset);
            if (cls != null) {
                field(gd, 0).setText(cls);
            }
        });
    }

    private static void watchPreview(List<String> seen) {
        while (seen.isEmpty()) {
            for (Window w : Window.getWindows()) {
                if (w.isShowing() && w instanceof java.awt.Frame f && f.getTitle().startsWith("IMAGINE preview")) {
                    seen.add(f.getTitle() + " " + w.getWidth() + "x" + w.getHeight());
                    screenshot(w, "preview");
                    return;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static TextField number(GenericDialog gd, int i) {
        return (TextField) gd.getNumericFields().get(i);
    }

    private static TextField field(GenericDialog gd, int i) {
        return (TextField) gd.getStringFields().get(i);
    }

    /** The class helper's choice: a Choice in the dialog that is not one of its recorded fields. */
    private static Choice helperChoice(GenericDialog gd) {
        Vector<?> recorded = gd.getChoices();
        for (Component c : all(gd)) {
            if (c instanceof Choice ch && !recorded.contains(ch)) {
                return ch;
            }
        }
        return null;
    }

    private static List<String> items(Choice c) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < c.getItemCount(); i++) {
            out.add(c.getItem(i));
        }
        return out;
    }

    /** The text of every label in a window (ImageJ's MultiLineLabel keeps its lines in a package-private field). */
    private static String text(Container w) {
        StringBuilder sb = new StringBuilder();
        for (Component c : all(w)) {
            if (c instanceof Label l) {
                sb.append(l.getText()).append('\n');
            } else if (c instanceof ij.gui.MultiLineLabel m) {
                try {
                    java.lang.reflect.Field f = ij.gui.MultiLineLabel.class.getDeclaredField("lines");
                    f.setAccessible(true);
                    sb.append(String.join(" ", (String[]) f.get(m))).append('\n');
                } catch (ReflectiveOperationException e) {
                    sb.append("?\n");
                }
            }
        }
        return sb.toString();
    }

    private static List<Component> all(Container c) {
        List<Component> out = new ArrayList<>();
        for (Component k : c.getComponents()) {
            out.add(k);
            if (k instanceof Container kc) {
                out.addAll(all(kc));
            }
        }
        return out;
    }

    /** A visible dialog with this title that is not a GenericDialog (IJ.error's message box). */
    private static Dialog message(String title, int seconds) throws InterruptedException {
        return waitFor(() -> {
            for (Window w : Window.getWindows()) {
                if (w.isShowing() && w instanceof Dialog d && !(w instanceof GenericDialog) && title.equals(d.getTitle())) {
                    return d;
                }
            }
            return null;
        }, seconds);
    }

    /** The dialog shown again after {@code previous} was answered (a validation error brings the form back). */
    private static GenericDialog shownAgain(GenericDialog previous) throws InterruptedException {
        return waitFor(() -> {
            GenericDialog d = GenericDialog.getInstance();
            return d != null && d != previous && d.isShowing() ? d : null;
        }, 30);
    }

    private static GenericDialog dialog(String title, int seconds) throws InterruptedException {
        return waitFor(() -> {
            GenericDialog d = GenericDialog.getInstance();
            return d != null && d.isShowing() && title.equals(d.getTitle()) ? d : null;
        }, seconds);
    }

    private static void press(Window w, String label) throws Exception {
        Thread.sleep(300);
        EventQueue.invokeAndWait(() -> {
            for (Component c : all(w)) {
                if (c instanceof Button b && b.getLabel().trim().equals(label)) {
                    ActionEvent e = new ActionEvent(b, ActionEvent.ACTION_PERFORMED, b.getLabel());
                    for (ActionListener l : b.getActionListeners()) {
                        l.actionPerformed(e);
                    }
                    return;
                }
            }
            throw new IllegalStateException("no button " + label);
        });
    }

    private static void measure(Window w, String name) throws InterruptedException {
        Thread.sleep(700); // laid out and painted
        System.out.println("WINDOW " + name + " " + w.getWidth() + "x" + w.getHeight() + " title=" + title(w));
        screenshot(w, name);
    }

    private static String title(Window w) {
        return w instanceof Dialog d ? d.getTitle() : w instanceof java.awt.Frame f ? f.getTitle() : "";
    }

    private static void check(String name, String value) {
        System.out.println("CHECK " + name + "=" + value);
    }

    private static void screenshot(Window w, String name) {
        try {
            java.awt.Rectangle r = w.getBounds();
            java.awt.image.BufferedImage img = new java.awt.Robot().createScreenCapture(r);
            javax.imageio.ImageIO.write(img, "png", shots.resolve(name + ".png").toFile());
        } catch (Exception e) {
            System.out.println("no screenshot " + name + ": " + e);
        }
    }

    private static void screenshotScreen(String name) {
        try {
            java.awt.Rectangle r = new java.awt.Rectangle(java.awt.Toolkit.getDefaultToolkit().getScreenSize());
            javax.imageio.ImageIO.write(new java.awt.Robot().createScreenCapture(r), "png", shots.resolve(name + ".png").toFile());
        } catch (Exception e) {
            System.out.println("no screenshot " + name + ": " + e);
        }
    }

    private static <T> T waitFor(Supplier<T> what, int seconds) throws InterruptedException {
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            T t = what.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(100);
        }
        System.out.println("TIMEOUT after " + seconds + " s; the screen is in timeout.png; windows: "
                + java.util.Arrays.stream(Window.getWindows()).filter(Window::isShowing).map(DialogsDriver::title).toList()
                + "; Log:\n" + IJ.getLog());
        screenshotScreen("timeout");
        System.exit(3);
        return null;
    }

    private DialogsDriver() {}
}
