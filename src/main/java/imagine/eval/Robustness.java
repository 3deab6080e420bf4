package imagine.eval;

import imagine.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The everyday degradations the report's robust agreement applies to a sample before classifying
 * it again: evidence that survives them is in the picture, not in a pattern only one network's
 * exact pixels carry. None of them is part of the objective.
 */
public final class Robustness {

    /** The names, in the order {@link #degrade} returns the images. */
    public static final List<String> NAMES = List.of("blur_1.5px", "half_size", "jpeg_40", "crop_80");

    private Robustness() {}

    /** Gaussian blur sigma 1.5 px; down to 50% and back up; JPEG quality 40; the centred 80% resized back. */
    public static List<RgbImage> degrade(RgbImage img) {
        int w = img.width();
        int h = img.height();
        int cw = Math.max(1, Math.round(w * 0.8f));
        int ch = Math.max(1, Math.round(h * 0.8f));
        return List.of(gaussianBlur(img, 1.5), img.resize(Math.max(1, w / 2), Math.max(1, h / 2)).resize(w, h),
                jpeg(img, 0.40f), img.crop((w - cw) / 2, (h - ch) / 2, cw, ch).resize(w, h));
    }

    /** Separable Gaussian blur, edges clamped. */
    static RgbImage gaussianBlur(RgbImage img, double sigma) {
        return imagine.image.GaussianBlur.of(img, sigma);
    }

    /** Encoded as JPEG at {@code quality} (0-1) by the JDK's encoder and decoded again. */
    static RgbImage jpeg(RgbImage img, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(quality);
                writer.write(null, new IIOImage(img.toBufferedImage(), null, null), p);
            } finally {
                writer.dispose();
            }
            BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
            return RgbImage.fromBufferedImage(back);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
