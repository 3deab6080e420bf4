package imagine.ij;

import ij.ImagePlus;
import ij.ImageStack;
import ij.macro.Interpreter;
import imagine.image.RgbImage;
import java.awt.GraphicsEnvironment;
import java.util.List;

/**
 * The optional live preview: one window that shows the current samples every few iterations,
 * at the output size (coarse-stage samples are scaled up), closed when the run ends. Nothing is
 * shown in batch mode or headless, where no one could look at it.
 */
final class PreviewWindow implements AutoCloseable {

    /** Iterations between updates: a preview costs a device-to-host copy and a repaint. */
    static final int EVERY = 25;

    private final String title;
    private final int width;
    private final int height;
    private final ImagePlus reference;
    private final GrayMapping gray;
    private ImagePlus imp;

    /**
     * A preview shown beside {@code reference}, zoomed like the result (a small window would cut its
     * title); a grey reference's in its own type, LUT and display range, as the result will be.
     */
    PreviewWindow(String title, int width, int height, ImagePlus reference) {
        this.title = title;
        this.width = width;
        this.height = height;
        this.reference = reference;
        this.gray = GrayMapping.of(reference);
    }

    static boolean canShow() {
        return !GraphicsEnvironment.isHeadless() && !Interpreter.isBatchMode();
    }

    void update(List<RgbImage> samples) {
        ImageStack stack = new ImageStack(width, height);
        for (RgbImage s : samples) {
            ij.process.ImageProcessor ip = gray == null ? ImageConversion.toProcessor(s) : gray.fromUnit(s);
            if (ip.getWidth() != width || ip.getHeight() != height) {
                ip.setInterpolationMethod(ij.process.ImageProcessor.BILINEAR);
                ip = ip.resize(width, height);
                if (gray != null) {
                    ip.setLut(gray.lut());
                    ip.setMinAndMax(gray.min(), gray.max());
                }
            }
            stack.addSlice(ip);
        }
        if (imp == null) {
            imp = new ImagePlus(title, stack);
            keepDisplay();
            imp.show();
            ResultWindows.placeBeside(imp, reference);
        } else {
            int slice = imp.getCurrentSlice();
            imp.setStack(stack);
            imp.setSlice(Math.min(slice, stack.getSize()));
            keepDisplay();
        }
    }

    /** A grey preview keeps the reference's LUT and display range when its stack is replaced. */
    private void keepDisplay() {
        if (gray != null) {
            imp.setLut(gray.lut());
            imp.setDisplayRange(gray.min(), gray.max());
            imp.updateAndDraw();
        }
    }

    @Override
    public void close() {
        if (imp != null) {
            imp.changes = false;
            imp.close();
        }
    }
}
