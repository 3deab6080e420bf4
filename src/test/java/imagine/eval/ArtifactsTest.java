package imagine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.image.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each artifact measure rises for the artifact it names and stays near its neutral value without it. */
class ArtifactsTest {

    static final int S = 128;

    /** A brownish texture: smoothed noise, a new draw per seed. */
    static RgbImage texture(long seed) {
        Random r = new Random(seed);
        float[] n = new float[S * S];
        for (int i = 0; i < n.length; i++) {
            n[i] = r.nextFloat();
        }
        float[] s = new float[S * S];
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                float sum = 0;
                int k = 0;
                for (int dy = -2; dy <= 2; dy++) {
                    for (int dx = -2; dx <= 2; dx++) {
                        int xx = Math.floorMod(x + dx, S);
                        int yy = Math.floorMod(y + dy, S);
                        sum += n[yy * S + xx];
                        k++;
                    }
                }
                s[y * S + x] = sum / k;
            }
        }
        float[] p = new float[3 * S * S];
        for (int i = 0; i < S * S; i++) {
            float v = 0.3f + 0.8f * (s[i] - 0.5f);
            p[i] = v + 0.15f;
            p[S * S + i] = v + 0.05f;
            p[2 * S * S + i] = v - 0.05f;
        }
        return new RgbImage(S, S, p);
    }

    static void set(RgbImage img, int c, int x, int y, float v) {
        img.planes()[(c * S + y) * S + x] = Math.max(0, Math.min(1, v));
    }

    @Test
    void aTextureLikeTheReferenceScoresNeutral() {
        Artifacts.Scores s = Artifacts.of(texture(1), texture(2));
        assertTrue(s.straightEdges() < 1.5, "edges " + s);
        assertTrue(s.worstBandGrain() < 1.3, "grain " + s);
        assertTrue(s.offPalette() < 0.01, "palette " + s);
    }

    @Test
    void aReferenceLargerThanTheSamplesIsMeasuredAtTheirSizeOnce() {
        RgbImage big = texture(1).scaledToArea(2 * S, 2 * S);
        Artifacts.Baseline once = Artifacts.baseline(big, S, S);
        for (int seed = 2; seed < 4; seed++) {
            assertEquals(Artifacts.of(big, texture(seed)), once.of(texture(seed)), "the same scores, reference prepared once");
        }
        assertEquals(Artifacts.straightEdgePeak(big.scaledToArea(S, S)), once.edge(), 1e-12, "the reference's edge peak at the samples' size");
    }

    @Test
    void aPastedRectangleIsAStraightEdge() {
        RgbImage sample = texture(2);
        RgbImage other = texture(3);
        for (int y = 40; y < 90; y++) {
            for (int x = 30; x < 100; x++) {
                for (int c = 0; c < 3; c++) {
                    set(sample, c, x, y, other.get(c, x, y) + 0.25f); // another texture, brighter
                }
            }
        }
        Artifacts.Scores s = Artifacts.of(texture(1), sample);
        assertTrue(s.straightEdges() > 2.5, "a box's edges stand out from the rows around them: " + s);
    }

    @Test
    void colouredGrainAlongOneBorderIsTheWorstBand() {
        RgbImage sample = texture(2);
        Random r = new Random(9);
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < 10; x++) {
                for (int c = 0; c < 3; c++) {
                    set(sample, c, x, y, sample.get(c, x, y) + 0.4f * (r.nextFloat() - 0.5f));
                }
            }
        }
        double grain = Artifacts.of(texture(1), sample).worstBandGrain();
        assertTrue(grain > 2, "grain in the left band: " + grain);
    }

    @Test
    void aLavenderSmearOnABrownPhotoIsOffPalette() {
        RgbImage sample = texture(2);
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S / 5; x++) {
                set(sample, 0, x, y, 0.72f);
                set(sample, 1, x, y, 0.62f);
                set(sample, 2, x, y, 0.92f);
            }
        }
        assertEquals(0.2, Artifacts.of(texture(1), sample).offPalette(), 0.02);
    }

    /** Paints the lavender of {@link #aLavenderSmearOnABrownPhotoIsOffPalette} on a square at the top left. */
    static RgbImage withLavender(RgbImage img, int side) {
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                set(img, 0, x, y, 0.72f);
                set(img, 1, x, y, 0.62f);
                set(img, 2, x, y, 0.92f);
            }
        }
        return img;
    }

    @Test
    void aTraceOfLavenderInTheReferenceDoesNotLicenseASmear() {
        // 16 reference pixels (0.1%) and a 22 x 22 patch (3%) of the same lavender in the sample.
        RgbImage sample = withLavender(texture(2), 22);
        double share = 22 * 22 / (double) (S * S);
        assertEquals(share, Artifacts.of(withLavender(texture(1), 4), sample).offPalette(), 1e-9,
                "a trace: the smear is 30 times denser than in the reference");
        // The reference has it on 2.2%: the smear is about as common there, and a colour of the reference.
        assertTrue(Artifacts.of(withLavender(texture(1), 19), sample).offPalette() < 0.001, "a colour of the reference");
        // Rarer in the sample than in the reference is never off-palette.
        assertTrue(Artifacts.of(withLavender(texture(1), 40), withLavender(texture(2), 10)).offPalette() < 0.001, "rarer");
    }
}
