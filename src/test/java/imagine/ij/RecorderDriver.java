package imagine.ij;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;
import java.awt.Choice;
import java.awt.EventQueue;
import java.awt.TextField;
import java.awt.event.ActionEvent;
import java.nio.file.Path;
import java.util.Vector;

/**
 * What a user does with the Recorder open, run by {@link RecorderIT} in its own JVM under a
 * virtual display: start ImageJ with the plugin in its plugins folder, open Plugins>Macros>Record,
 * choose IMAGINE Synthesize from the menu, fill in and OK the dialog as a user would; print what
 * the Recorder wrote, then run that line as a macro and report the window it opened.
 * Arguments: ImageJ folder, reference image, models folder.
 */
public final class RecorderDriver {

    public static void main(String[] args) throws Exception {
        System.setProperty("plugins.dir", args[0]);
        new ImageJ();
        IJ.run("Record...");
        Recorder recorder = waitFor(() -> (Recorder) WindowManager.getWindow("Recorder"), 20);
        ImagePlus ref = IJ.openImage(args[1]);
        ref.show();
        waitFor(() -> WindowManager.getCurrentImage() == ref ? ref : null, 20);
        String models = args[2];
        java.util.Set<String> opened = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ImagePlus.addImageListener(new ij.ImageListener() {
            @Override
            public void imageOpened(ImagePlus imp) {
                opened.add(imp.getTitle());
            }

            @Override
            public void imageClosed(ImagePlus imp) {}

            @Override
            public void imageUpdated(ImagePlus imp) {}
        });
        Thread user = new Thread(() -> answerDialog(models), "user");
        user.start();
        IJ.doCommand("IMAGINE Synthesize..."); // what the menu item does: runs it on its own thread, recorded
        String title = "IMAGINE " + ref.getTitle() + " #1";
        ImagePlus first = waitFor(() -> WindowManager.getImage(title), 180);
        Thread.sleep(500); // the Recorder writes the line after the command returns
        System.out.println("OPENED=" + new java.util.TreeSet<>(opened));
        screenshot(first.getWindow(), "result");
        String text = recorder.getText();
        System.out.println("RECORDED<<" + text + ">>");
        String line = text.lines().filter(l -> l.startsWith("run(\"IMAGINE Synthesize...\"")).findFirst().orElse(null);
        if (line == null) {
            System.out.println("NO LINE");
            System.exit(1);
        }
        first.changes = false;
        first.close();
        IJ.selectWindow(ref.getID());
        IJ.runMacro(line);
        ImagePlus replayed = waitFor(() -> WindowManager.getImage(title), 180);
        System.out.println("REPLAY=" + replayed.getTitle() + " " + replayed.getWidth() + "x" + replayed.getHeight() + "x"
                + replayed.getStackSize() + " " + replayed.getStack().getSliceLabel(1));
        replayed.changes = false;
        replayed.close();

        // Esc during a long run: the run stops and its current samples open, marked cancelled.
        IJ.selectWindow(ref.getID());
        Thread run = new Thread(() -> {
            try {
                IJ.run(ref, "IMAGINE Synthesize...", "samples=1 width=64 height=48 iterations=5000 seed=9 preset=fast "
                        + "models_folder=[" + models + "]");
            } catch (RuntimeException e) {
                // Esc also aborts the caller of IJ.run (ImageJ's "Macro canceled"): expected here.
                System.out.println("caller: " + e.getMessage());
            }
        }, "long run");
        run.start();
        Thread.sleep(4000);
        long esc = System.nanoTime();
        ImageJ ij = IJ.getInstance();
        EventQueue.invokeAndWait(() -> ij.keyPressed(new java.awt.event.KeyEvent(ij, java.awt.event.KeyEvent.KEY_PRESSED,
                System.currentTimeMillis(), 0, java.awt.event.KeyEvent.VK_ESCAPE, java.awt.event.KeyEvent.CHAR_UNDEFINED)));
        ImagePlus cancelled = waitFor(() -> WindowManager.getImage(title), 60);
        System.out.println("CANCELLED=" + cancelled.getStack().getSliceLabel(1) + " after "
                + (System.nanoTime() - esc) / 1_000_000 + " ms; info cancelled="
                + cancelled.getInfoProperty().contains("cancelled = true"));
        System.exit(0);
    }

    /** Fills the Synthesize dialog like a user (small size, few iterations) and presses OK. */
    private static void answerDialog(String models) {
        try {
            GenericDialog gd = waitFor(() -> {
                GenericDialog d = GenericDialog.getInstance();
                return d != null && d.isShowing() && "IMAGINE Synthesize".equals(d.getTitle()) ? d : null;
            }, 60);
            EventQueue.invokeAndWait(() -> {
                Vector<?> numbers = gd.getNumericFields();
                String[] values = {"2", "64", "48", "5", "7"}; // samples, width, height, iterations, seed
                for (int i = 0; i < values.length; i++) {
                    ((TextField) numbers.get(i)).setText(values[i]);
                }
                ((Choice) gd.getChoices().get(0)).select("fast");
                ((TextField) gd.getStringFields().get(1)).setText(models); // after class
                ((java.awt.Checkbox) gd.getCheckboxes().get(1)).setState(true); // preview
            });
            Thread.sleep(300);
            screenshot(gd, "dialog");
            EventQueue.invokeAndWait(() -> {
                gd.actionPerformed(new ActionEvent(gd.getButtons()[0], ActionEvent.ACTION_PERFORMED, "OK"));
            });
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(2);
        }
    }

    /** With -Dscreenshots=DIR, a PNG of the window, as a user sees it. */
    private static void screenshot(java.awt.Window w, String name) {
        String dir = System.getProperty("screenshots");
        if (dir == null || w == null) {
            return;
        }
        try {
            java.awt.Rectangle r = w.getBounds();
            java.awt.image.BufferedImage img = new java.awt.Robot().createScreenCapture(r);
            javax.imageio.ImageIO.write(img, "png", Path.of(dir, name + ".png").toFile());
        } catch (Exception e) {
            System.out.println("no screenshot: " + e);
        }
    }

    private static <T> T waitFor(java.util.function.Supplier<T> what, int seconds) throws InterruptedException {
        long end = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < end) {
            T t = what.get();
            if (t != null) {
                return t;
            }
            Thread.sleep(100);
        }
        System.out.println("TIMEOUT waiting " + seconds + " s");
        System.exit(3);
        return null;
    }

    private RecorderDriver() {}
}
