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

    public static RgbImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("The image " + file + " does not exist. Give the path of a PNG, JPEG, BMP or GIF file.");
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("Cannot read " + file + " as an image (" + e.getMessage()
                    + "). Give a PNG, JPEG, BMP or GIF file.");
        }
        if (img == null) {
            throw new UserInputException(file + " is not an image this program can read. Give a PNG, JPEG, BMP or GIF file.");
        }
        if ((long) img.getWidth() * img.getHeight() > MAX_PIXELS) {
            throw new UserInputException(file + " is " + img.getWidth() + "x" + img.getHeight()
                    + " pixels, too large to use as a reference; downscale it below 100 megapixels first.");
        }
        return RgbImage.fromBufferedImage(img);
    }
}
