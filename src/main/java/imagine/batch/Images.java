package imagine.batch;

import imagine.UserInputException;
import imagine.image.Mask;
import imagine.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reading reference images from files, with messages a user can act on. */
public final class Images {

    static final long MAX_PIXELS = 100_000_000L;
    static final String FORMATS = "PNG, JPEG, BMP, GIF or TIFF";

    private Images() {}

    /** A mask image: see {@link Mask#fromGray} for which pixels count as the object. */
    public static Mask readMask(Path file, String option) {
        RgbImage img;
        try {
            img = read(file);
        } catch (UserInputException e) {
            throw new UserInputException(option + ": " + e.getMessage());
        }
        return Mask.fromImage(img);
    }

    /**
     * A reference image and, for a 16-bit gray file, the range of its values: its samples come back
     * as 16-bit TIFFs spanning the same range (null for 8-bit and colour files).
     */
    public record Reference(RgbImage image, WideGray wide) {}

    /** A 16-bit gray file's bit depth and the smallest and largest value it holds (read stretched between them). */
    public record WideGray(int bits, int min, int max) {}

    public static Reference readReference(Path file) {
        BufferedImage img = decode(file);
        java.awt.image.Raster r = img.getRaster();
        WideGray wide = null;
        // Unsigned 16-bit gray only: signed or 32-bit samples are read stretched but written as 8-bit gray.
        if (r.getNumBands() == 1 && r.getDataBuffer().getDataType() == java.awt.image.DataBuffer.TYPE_USHORT
                && r.getSampleModel().getSampleSize(0) == 16
                && !(img.getColorModel() instanceof java.awt.image.IndexColorModel)) {
            int[] range = RgbImage.range(r.getSamples(0, 0, img.getWidth(), img.getHeight(), 0, (int[]) null));
            wide = new WideGray(r.getSampleModel().getSampleSize(0), range[0], range[1]);
        }
        return new Reference(RgbImage.fromBufferedImage(img), wide);
    }

    public static RgbImage read(Path file) {
        return RgbImage.fromBufferedImage(decode(file));
    }

    private static BufferedImage decode(Path file) {
        if (!Files.isRegularFile(file)) {
            String what = Files.isDirectory(file) ? "is a folder, not an image file"
                    : Files.isSymbolicLink(file) ? "is a symbolic link to nothing (or to itself)"
                    : Files.exists(file) ? "is not a regular file (a device or a pipe)" : "does not exist";
            throw new UserInputException("The image " + file + " " + what + ". Give the path of a " + FORMATS + " file.");
        }
        BufferedImage img;
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            java.util.Iterator<javax.imageio.ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new UserInputException(file + " is not an image this program can read. Give a " + FORMATS + " file.");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // The size from the header, before decoding: a decompression bomb is refused unread.
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > MAX_PIXELS) {
                    throw new UserInputException(file + " is " + w + "x" + h
                            + " pixels, too large to use as a reference; downscale it below 100 megapixels first.");
                }
                // A truncated file decodes with its missing part gray; the decoder only warns about it. Other
                // warnings (extraneous bytes, an ignored colour profile) are common in camera files that decode fine.
                java.util.List<String> warnings = new java.util.ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> {
                    String w0 = warning.toLowerCase(java.util.Locale.ROOT);
                    if (w0.contains("truncated") || w0.contains("premature end")) {
                        warnings.add(warning);
                    }
                });
                try {
                    img = reader.read(0);
                } catch (OutOfMemoryError e) {
                    // The decode buffer alone did not fit: say so (the cause is not the file).
                    throw new UserInputException(file + " (" + w + "x" + h + ") does not fit in this Java's memory to decode: "
                            + "start it with more (-Xmx) or downscale the image.");
                }
                if (!warnings.isEmpty()) {
                    throw new UserInputException(file + " is damaged (" + warnings.get(0).strip() + "): its decoder could "
                            + "not read all of it. Give a complete copy of the image.");
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserInputException u) {
                throw u;
            }
            throw new UserInputException("Cannot read " + file + " as an image (" + e.getMessage()
                    + "). Give a " + FORMATS + " file.");
        }
        if (img == null) {
            throw new UserInputException(file + " is not an image this program can read. Give a " + FORMATS + " file.");
        }
        return img;
    }
}
