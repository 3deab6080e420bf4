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
     * A reference image and, for a 16-bit or floating-point gray file, the range of its values: its
     * samples come back as TIFFs of that kind spanning the same range (null for 8-bit and colour files).
     */
    public record Reference(RgbImage image, WideGray wide) {}

    /**
     * A wide gray file's bit depth, whether its values are floating point, and the smallest and
     * largest value it holds (read stretched between them).
     */
    public record WideGray(int bits, double min, double max, boolean floating) {}

    public static Reference readReference(Path file) {
        BufferedImage img = decode(file);
        java.awt.image.Raster r = img.getRaster();
        WideGray wide = null;
        int type = r.getDataBuffer().getDataType();
        boolean floating = type == java.awt.image.DataBuffer.TYPE_FLOAT || type == java.awt.image.DataBuffer.TYPE_DOUBLE;
        // Unsigned 16-bit and floating-point gray: signed 16-bit or 32-bit integers are read stretched but written as 8-bit gray.
        if (r.getNumBands() == 1 && !(img.getColorModel() instanceof java.awt.image.IndexColorModel)
                && (floating || (type == java.awt.image.DataBuffer.TYPE_USHORT && r.getSampleModel().getSampleSize(0) == 16))) {
            double[] range = RgbImage.range(r.getSamples(0, 0, img.getWidth(), img.getHeight(), 0, (double[]) null));
            wide = new WideGray(floating ? 32 : 16, range[0], range[1], floating);
        }
        return new Reference(planes(file, img), wide);
    }

    /** The image as float planes; out of memory here is said as such, not as an unreadable file. */
    private static RgbImage planes(Path file, BufferedImage img) {
        try {
            return RgbImage.fromBufferedImage(img);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file);
        }
    }

    public static RgbImage read(Path file) {
        return planes(file, decode(file));
    }

    private static UserInputException outOfMemory(Path file) {
        return new UserInputException(file + " does not fit in this Java's memory to read: start Java with more (-Xmx) "
                + "or downscale the image.");
    }

    private static String owner(Path file) {
        try {
            return "user " + Files.getOwner(file).getName();
        } catch (IOException | RuntimeException e) {
            return "another user";
        }
    }

    /** A floating-point image with NaN or infinite values has no range to read it through: refused, with the count. */
    private static void refuseNonFinite(Path file, BufferedImage img) {
        java.awt.image.Raster r = img.getRaster();
        int type = r.getDataBuffer().getDataType();
        if (type != java.awt.image.DataBuffer.TYPE_FLOAT && type != java.awt.image.DataBuffer.TYPE_DOUBLE) {
            return;
        }
        long bad = 0;
        for (int b = 0; b < r.getNumBands(); b++) {
            for (double v : r.getSamples(0, 0, img.getWidth(), img.getHeight(), b, (double[]) null)) {
                bad += Double.isFinite(v) ? 0 : 1;
            }
        }
        if (bad > 0) {
            throw new UserInputException(file + " holds " + bad + " NaN or infinite value(s), which have no place in a "
                    + "range of values. Replace them first (in Fiji: Process > Math > Remove NaNs..., or Set... on a "
                    + "threshold) and save a copy.");
        }
    }

    private static BufferedImage decode(Path file) {
        checkFile(file);
        BufferedImage img;
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            java.util.Iterator<javax.imageio.ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new UserInputException(file + " is not an image this program can read. Give a " + FORMATS + " file.");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                img = read(file, reader);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UserInputException u) {
                throw u;
            }
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof OutOfMemoryError) {
                    throw outOfMemory(file);
                }
            }
            throw new UserInputException("Cannot read " + file + " as an image (" + e.getMessage()
                    + "). Give a " + FORMATS + " file.");
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file);
        }
        if (img == null) {
            throw new UserInputException(file + " is not an image this program can read. Give a " + FORMATS + " file.");
        }
        refuseNonFinite(file, img);
        return img;
    }

    /** A regular file this user may read, or a message that says what it is instead. */
    private static void checkFile(Path file) {
        if (!Files.isRegularFile(file)) {
            String what = Files.isDirectory(file) ? "is a folder, not an image file"
                    : Files.isSymbolicLink(file) ? "is a symbolic link to nothing (or to itself)"
                    : Files.exists(file) ? "is not a regular file (a device or a pipe)"
                    : file.toString().indexOf('\uFFFD') >= 0 || file.toString().indexOf('?') >= 0
                            ? "cannot be found: its name may hold characters this system's language setting cannot "
                                    + "show (LANG); rename it with plain letters or run with a UTF-8 LANG"
                            : "does not exist";
            throw new UserInputException("The image " + file + " " + what + ". Give the path of a " + FORMATS + " file.");
        }
        if (!Files.isReadable(file)) {
            throw new UserInputException("The image " + file + " cannot be read: permission denied (it belongs to "
                    + owner(file) + "). Ask for read access or use a copy of your own.");
        }
    }

    /**
     * Decodes the first image once its header's size is checked (a decompression bomb is refused
     * unread, a size that does not fit memory too); a truncated file is refused, not read half gray.
     */
    private static BufferedImage read(Path file, javax.imageio.ImageReader reader) throws IOException {
        long w = reader.getWidth(0);
        long h = reader.getHeight(0);
        if (w * h > MAX_PIXELS) {
            throw new UserInputException(file + " is " + w + "x" + h
                    + " pixels, too large to use as a reference; downscale it below 100 megapixels first.");
        }
        imagine.core.MemoryAdmission.checkDecode(w, h, file.toString());
        // A truncated file decodes with its missing part gray; the decoder only warns about it. Other
        // warnings (extraneous bytes, an ignored colour profile) are common in camera files that decode fine.
        java.util.List<String> warnings = new java.util.ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            String w0 = warning.toLowerCase(java.util.Locale.ROOT);
            if (w0.contains("truncated") || w0.contains("premature end")) {
                warnings.add(warning);
            }
        });
        BufferedImage img;
        try {
            img = reader.read(0);
        } catch (OutOfMemoryError e) {
            throw outOfMemory(file); // the decode buffer alone did not fit: the cause is not the file
        }
        if (!warnings.isEmpty()) {
            throw new UserInputException(file + " is damaged (" + warnings.get(0).strip() + "): its decoder could "
                    + "not read all of it. Give a complete copy of the image.");
        }
        return img;
    }
}
