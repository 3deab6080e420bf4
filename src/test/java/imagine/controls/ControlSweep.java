package imagine.controls;

import imagine.batch.Images;
import imagine.config.ImagineConfig;
import imagine.core.CancellationToken;
import imagine.core.ImagineEngine;
import imagine.core.ProgressListener;
import imagine.core.SynthesisDivergedException;
import imagine.core.SynthesisResult;
import imagine.image.Mask;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.ModelSpec;
import imagine.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Random position-control set-ups, to show that none diverges: a benchmark-like command that prints
 * one line per set-up and a summary, not a unit test (one set-up is a fast-preset run of seconds).
 * Each set-up: a photo of the test images, an object that is a rectangle or an ellipse of random
 * extent or none, one random target box, a random seed. Run with
 * {@code mvn -B -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=imagine.controls.ControlSweep
 * -Dexec.args="MODELS_DIR IMAGES_DIR N [MASTER_SEED]"}.
 */
public final class ControlSweep {

    private ControlSweep() {}

    public static void main(String[] args) throws Exception {
        Path models = Path.of(args[0]);
        Path images = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        Random rng = new Random(args.length > 3 ? Long.parseLong(args[3]) : 1);
        List<Path> photos;
        try (Stream<Path> s = Files.list(images)) {
            photos = s.filter(p -> p.getFileName().toString().matches(".*\\.(png|jpg|bmp)")).sorted().toList();
        }
        int diverged = 0;
        int failed = 0;
        int skippedRuns = 0;
        try (Backbone b = new ModelStore(models).load(ModelSpec.DEFAULT_ID, Engines.device("auto"))) {
            ImagineEngine engine = ImagineEngine.builder(b).build();
            for (int k = 0; k < n; k++) {
                Path photo = photos.get(rng.nextInt(photos.size()));
                RgbImage ref = Images.read(photo);
                int kind = rng.nextInt(3); // 0 none, 1 rectangle, 2 ellipse
                double x0 = rng.nextDouble() * 0.5;
                double y0 = rng.nextDouble() * 0.5;
                double x1 = x0 + 0.2 + rng.nextDouble() * (0.98 - x0 - 0.2);
                double y1 = y0 + 0.2 + rng.nextDouble() * (0.98 - y0 - 0.2);
                int bw = 16 + rng.nextInt(180);
                int bh = 16 + rng.nextInt(180);
                int bx = rng.nextInt(224 - Math.min(bw, 208));
                int by = rng.nextInt(224 - Math.min(bh, 208));
                long seed = rng.nextInt(1000);
                Controls c = Controls.none().withTarget(new Target.Box(bx, by, bw, bh));
                if (kind > 0) {
                    c = c.withObjectMask(shape(ref.width(), ref.height(), kind == 2, x0, y0, x1, y1));
                }
                String what = String.format(Locale.ROOT, "%s object=%s %.2f-%.2f x %.2f-%.2f box=%d,%d,%d,%d seed=%d",
                        photo.getFileName(), kind == 0 ? "none" : kind == 1 ? "rect" : "ellipse", x0, x1, y0, y1, bx, by,
                        bw, bh, seed);
                ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).seed(seed).build();
                long t0 = System.nanoTime();
                try {
                    SynthesisResult r = engine.synthesize(ref, c, cfg, ProgressListener.NONE, new CancellationToken());
                    int skipped = r.timings().skippedSteps();
                    skippedRuns += skipped > 0 ? 1 : 0;
                    System.out.printf(Locale.ROOT, "%3d ok       %s skipped=%d p=%.3f %.0f s%n", k, what, skipped,
                            r.targetProbabilities()[0], (System.nanoTime() - t0) / 1e9);
                } catch (SynthesisDivergedException e) {
                    diverged++;
                    System.out.printf(Locale.ROOT, "%3d DIVERGED %s: %s%n", k, what, e.getMessage());
                } catch (RuntimeException e) {
                    failed++;
                    System.out.printf(Locale.ROOT, "%3d REFUSED  %s: %s%n", k, what, e.getMessage());
                }
            }
        }
        System.out.printf(Locale.ROOT, "set-ups %d, diverged %d, refused %d, runs with skipped steps %d%n", n, diverged, failed,
                skippedRuns);
    }

    /** A rectangle or an ellipse over the fractions x0-x1, y0-y1 of a w x h frame. */
    static Mask shape(int w, int h, boolean ellipse, double x0, double y0, double x1, double y1) {
        float[] g = new float[w * h];
        double cx = (x0 + x1) / 2 * w;
        double cy = (y0 + y1) / 2 * h;
        double rx = (x1 - x0) / 2 * w;
        double ry = (y1 - y0) / 2 * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x + 0.5 - cx) / rx;
                double dy = (y + 0.5 - cy) / ry;
                boolean in = ellipse ? dx * dx + dy * dy <= 1 : Math.abs(dx) <= 1 && Math.abs(dy) <= 1;
                g[y * w + x] = in ? 1f : 0f;
            }
        }
        return Mask.fromGray(g, w, h);
    }
}
