package imagine.service;

import imagine.UserInputException;
import imagine.image.RgbImage;
import java.util.List;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * imglib2 to and from the engine's planar RGB. imglib2-ij is not on Maven Central, so this
 * small bridge is written here. The engine's planes are channel-major then row-major, which is
 * exactly an ArrayImg of dimensions (width, height, 3): one sample wraps without copying
 * ({@link #wrap}); several are copied once into one (width, height, 3, N) array ({@link #stack}).
 */
public final class Imglib2Images {

    private Imglib2Images() {}

    /** (X, Y) gray or (X, Y, 3) RGB, mapped linearly from [min, max] to [0, 1] and clamped. */
    public static <T extends RealType<T>> RgbImage toRgb(RandomAccessibleInterval<T> img, double min, double max) {
        int n = img.numDimensions();
        if (n != 2 && !(n == 3 && img.dimension(2) == 3)) {
            throw new UserInputException("The reference must be 2D (gray) or 3D with 3 channels (RGB); got "
                    + n + " dimensions.");
        }
        if (!(max > min) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new UserInputException("The value range must be finite with max > min; got [" + min + ", " + max + "].");
        }
        long w = img.dimension(0);
        long h = img.dimension(1);
        if (w * h > 100_000_000L) {
            throw new UserInputException("The reference is " + w + "x" + h + " pixels; downscale it below 100 megapixels.");
        }
        float[] planes = new float[(int) (3 * w * h)];
        RandomAccess<T> ra = img.randomAccess();
        long[] pos = new long[n];
        double scale = 1.0 / (max - min);
        int channels = n == 3 ? 3 : 1;
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    pos[0] = img.min(0) + x;
                    pos[1] = img.min(1) + y;
                    if (n == 3) {
                        pos[2] = img.min(2) + c;
                    }
                    ra.setPosition(pos);
                    double v = (ra.get().getRealDouble() - min) * scale;
                    // NaN counts as black: one bad pixel must not poison the reference statistics.
                    planes[(int) ((c * h + y) * w + x)] = Double.isNaN(v) ? 0f : (float) Math.max(0, Math.min(1, v));
                }
            }
        }
        if (channels == 1) {
            // Gray: the same plane as red, green and blue.
            System.arraycopy(planes, 0, planes, (int) (w * h), (int) (w * h));
            System.arraycopy(planes, 0, planes, (int) (2 * w * h), (int) (w * h));
        }
        return new RgbImage((int) w, (int) h, planes);
    }

    /** One sample as an (X, Y, 3) image sharing the sample's array. */
    public static Img<FloatType> wrap(RgbImage img) {
        return ArrayImgs.floats(img.planes(), img.width(), img.height(), 3);
    }

    /** Samples as one (X, Y, 3, N) image (one copy into a single array). */
    public static Img<FloatType> stack(List<RgbImage> samples) {
        RgbImage first = samples.get(0);
        int len = first.planes().length;
        float[] all = new float[len * samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i).planes(), 0, all, i * len, len);
        }
        return ArrayImgs.floats(all, first.width(), first.height(), 3, samples.size());
    }
}
