package imagine.ij;

import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.ImageCanvas;
import ij.gui.ImageWindow;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.filter.ThresholdToSelection;
import ij.process.ByteProcessor;
import imagine.controls.Placement;
import imagine.image.Mask;
import java.awt.Color;
import java.awt.Rectangle;

/** How result windows are named, sized and placed, and what they carry besides the samples. */
final class ResultWindows {

    private ResultWindows() {}

    /** "IMAGINE <reference> #<run>": the first run number no open window has for this reference. */
    static String title(ImagePlus ref) {
        for (int run = 1;; run++) {
            String t = "IMAGINE " + ref.getTitle() + " #" + run;
            if (WindowManager.getImage(t) == null && WindowManager.getWindow(t) == null) {
                return t;
            }
        }
    }

    /**
     * The targets of position/shape control as a yellow overlay in the output frame, so the user
     * sees where the object was asked to go (Image>Overlay>Hide Overlay hides it).
     */
    static void overlayTargets(ImagePlus out, Placement placement) {
        if (placement == null || placement.instances().isEmpty()) {
            return;
        }
        Overlay o = new Overlay();
        int k = 0;
        for (Mask m : placement.instances()) {
            Roi r = toRoi(m);
            if (r != null) {
                r.setStrokeColor(Color.YELLOW);
                r.setName("target " + ++k);
                o.add(r);
            }
        }
        out.setOverlay(o);
    }

    /** A mask's inside as a selection (null when empty). */
    static Roi toRoi(Mask m) {
        ByteProcessor bp = new ByteProcessor(m.width(), m.height());
        for (int y = 0; y < m.height(); y++) {
            for (int x = 0; x < m.width(); x++) {
                if (m.get(x, y) >= Mask.INSIDE) {
                    bp.set(x, y, 255);
                }
            }
        }
        bp.setThreshold(128, 255, ByteProcessor.NO_LUT_UPDATE);
        return ThresholdToSelection.run(new ImagePlus("", bp));
    }

    /**
     * Zooms {@code out} so its samples look at least as large as the reference does in its window
     * (a 224 px sample beside a 600 px reference would otherwise be a thumbnail), as far as the
     * screen and the room beside the reference allow, and puts it beside the reference window
     * (right, else left) where it fits.
     */
    static void placeBeside(ImagePlus out, ImagePlus ref) {
        ImageWindow rw = ref.getWindow();
        ImageWindow ow = out.getWindow();
        if (rw == null || ow == null || rw.getCanvas() == null) {
            return;
        }
        Rectangle screen = rw.getGraphicsConfiguration().getBounds();
        double refShown = Math.max(rw.getCanvas().getWidth(), rw.getCanvas().getHeight());
        double want = refShown / Math.max(out.getWidth(), out.getHeight());
        double fit = 0.9 * Math.min((double) screen.width / out.getWidth(), (double) screen.height / out.getHeight());
        // Beside the reference rather than over it: no larger than the room to its right or left
        // allows, when that room holds the samples at 100% at least.
        int frame = ow.getWidth() - ow.getCanvas().getWidth();
        int room = Math.max(screen.x + screen.width - (rw.getX() + rw.getWidth() + 8), rw.getX() - 8 - screen.x) - frame;
        double beside = Math.min((double) room / out.getWidth(), 0.9 * screen.height / out.getHeight());
        if (beside >= 1) {
            fit = Math.min(fit, beside);
        }
        if (want > 1) {
            double zoom = ImageCanvas.getLowerZoomLevel(want * 1.0001); // the largest standard level <= want
            if (zoom < want * 0.9999) {
                zoom = ImageCanvas.getHigherZoomLevel(zoom);
            }
            while (zoom > fit && zoom > 1) {
                zoom = ImageCanvas.getLowerZoomLevel(zoom);
            }
            if (zoom > ow.getCanvas().getMagnification()) {
                ow.getCanvas().setMagnification(zoom);
                ow.getCanvas().setSize((int) Math.round(out.getWidth() * zoom), (int) Math.round(out.getHeight() * zoom));
                ow.pack();
            }
        }
        // The window's width as zoomed: right after pack() getWidth() can still give the width it had before,
        // which placed a zoomed 16-bit sample right of its reference and mostly off the screen.
        int width = Math.max(ow.getWidth(), ow.getCanvas().getWidth() + frame);
        int right = rw.getX() + rw.getWidth() + 8;
        int left = rw.getX() - width - 8;
        java.awt.Point at = right + width <= screen.x + screen.width ? new java.awt.Point(right, rw.getY())
                : left >= screen.x ? new java.awt.Point(left, rw.getY()) : ow.getLocation();
        ow.setLocation(free(at, ow, screen));
    }

    /**
     * {@code at}, moved down and right by a title bar's height while another image window already
     * stands exactly there (a replayed macro's result would hide the previous one), within the screen.
     */
    static java.awt.Point free(java.awt.Point at, java.awt.Window self, Rectangle screen) {
        java.awt.Point p = new java.awt.Point(at);
        for (int step = 0; step < 20 && taken(p, self); step++) {
            p.translate(24, 24);
            if (p.y > screen.y + screen.height - 100 || p.x > screen.x + screen.width - 100) {
                p.setLocation(at.x, screen.y);
            }
        }
        return p;
    }

    private static boolean taken(java.awt.Point p, java.awt.Window self) {
        for (java.awt.Window w : java.awt.Window.getWindows()) {
            if (w != self && w.isShowing() && w instanceof ImageWindow && w.getLocation().equals(p)) {
                return true;
            }
        }
        return false;
    }
}
