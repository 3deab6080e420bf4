package imagine.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.config.ImagineConfig;
import imagine.core.CancellationToken;
import imagine.core.SynthesisResult;
import imagine.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.scijava.Context;

/**
 * Twenty jobs submitted to the service and cancelled mid-run, in one JVM: each stops within an
 * iteration of the cancel with its partial samples, and the process's resident memory (native
 * tensors included) stays flat once the first runs have warmed the allocator up.
 */
class CancelLoopTest {

    static double rssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    @Test
    void twentyRunsAndCancelsLeaveMemoryFlat() throws Exception {
        Context context = new Context(ImagineService.class);
        try {
            ImagineService service = context.getService(ImagineService.class);
            service.setModelsFolder(TestModels.modelsDir());
            RgbImage ref = RgbImage.fromBufferedImage(ImageIO.read(TestModels.image("chelsea.png").toFile()));
            ImagineConfig cfg = ImagineConfig.preset(ImagineConfig.Preset.FAST).size(96, 96).samples(2).iterations(1000)
                    .build();
            double[] rss = new double[20];
            for (int run = 0; run < 20; run++) {
                CancellationToken cancel = new CancellationToken();
                int[] seen = new int[1];
                int stopAt = 15 + run % 5;
                Future<SynthesisResult> job = service.submit(SynthesisRequest.of(ref, cfg.toBuilder().seed(run).build())
                        .withListener(p -> {
                            seen[0] = p.iteration();
                            if (p.iteration() >= stopAt) {
                                cancel.cancel();
                            }
                        }).withCancel(cancel));
                SynthesisResult r = job.get(120, TimeUnit.SECONDS);
                assertTrue(r.cancelled(), "run " + run);
                assertEquals(seen[0], r.iterationsDone(), "stops at the iteration it was cancelled in");
                assertEquals(2, r.samples().size(), "partial samples kept");
                System.gc();
                rss[run] = rssMiB();
            }
            double warm = rss[4];
            double last = rss[19];
            System.out.printf("RSS after runs 1, 5, 10, 20: %.0f, %.0f, %.0f, %.0f MiB%n", rss[0], warm, rss[9], last);
            // Flat: less than 2 MiB per run after warm-up (a leak of one 96x96 batch's tensors per
            // run would be far more).
            assertTrue(last - warm < 30, String.format("RSS grew from %.0f to %.0f MiB over 15 runs", warm, last));
        } finally {
            context.dispose();
        }
    }
}
