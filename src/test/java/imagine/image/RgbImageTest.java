package imagine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Gray files read as their values and write back as them. */
class RgbImageTest {

    @Test
    void aGrayPngReadsBackAsWritten() throws Exception {
        float[] p = new float[3 * 4];
        float[] values = {0f, 64 / 255f, 128 / 255f, 1f};
        for (int i = 0; i < 4; i++) {
            p[i] = values[i];
            p[4 + i] = values[i];
            p[8 + i] = values[i];
        }
        RgbImage gray = new RgbImage(2, 2, p);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(gray.toGrayBufferedImage(), "png", out);
        BufferedImage read = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, read.getType());
        RgbImage back = RgbImage.fromBufferedImage(read);
        assertTrue(back.isGray());
        // Through getRGB, 128 would come back about 0.74 (linear gray to sRGB).
        assertArrayEquals(p, back.planes(), 1e-6f);
    }

    @Test
    void sixteenBitGrayIsStretchedFromItsSmallestToItsLargestValue() {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {1000, 2000, 5000});
        RgbImage r = RgbImage.fromBufferedImage(img);
        assertEquals(0f, r.get(0, 0, 0), 1e-6);
        assertEquals(0.25f, r.get(1, 1, 0), 1e-6);
        assertEquals(1f, r.get(2, 2, 0), 1e-6);
    }
}
