package imagine.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import imagine.config.ImagineConfig;
import imagine.core.CancellationToken;
import imagine.core.SynthesisResult;
import imagine.image.RgbImage;
import imagine.model.Engines.DeviceChoice;
import imagine.model.ModelException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.imglib2.img.Img;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

/** The SciJava service as scripts and plugins use it, without ImageJ windows. */
class ImagineServiceTest {

    static Context context;
    static ImagineService service;

    @BeforeAll
    static void start() {
        context = new Context(ImagineService.class);
        service = context.getService(ImagineService.class);
        service.setModelsFolder(TestModels.modelsDir());
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    static ImagineConfig small(long seed) {
        return ImagineConfig.preset(ImagineConfig.Preset.FAST).size(64, 48).samples(2).iterations(8).seed(seed).build();
    }

    @Test
    void discoveredThroughThePluginIndex() {
        assertTrue(service instanceof DefaultImagineService, "the annotation index names the service");
        assertEquals(DeviceChoice.AUTO, service.device());
    }

    @Test
    void imglib2InImglib2Out() {
        // A gray (X, Y) reference in 0..1000: a ramp with a bright square.
        float[] px = new float[80 * 60];
        for (int y = 0; y < 60; y++) {
            for (int x = 0; x < 80; x++) {
                px[y * 80 + x] = (x > 20 && x < 50 && y > 10 && y < 40) ? 1000 : 10 * x;
            }
        }
        Img<FloatType> ref = ArrayImgs.floats(px, 80, 60);
        float[] before = px.clone();
        Img<FloatType> out = service.synthesize(ref, 0, 1000, small(1));
        assertArrayEquals(new long[] {64, 48, 3, 2}, out.dimensionsAsLongArray());
        for (FloatType v : out) {
            assertTrue(v.get() >= 0 && v.get() <= 1);
        }
        assertArrayEquals(before, px, "the reference is not modified");
    }

    @Test
    void twoJobsAtOnceBothFinishInOrderAndAFailureDoesNotBreakTheNext(@TempDir Path empty) throws Exception {
        RgbImage ref = new RgbImage(32, 32, new float[3 * 32 * 32]);
        Path defaults = service.modelsFolder();
        Future<SynthesisResult> a = service.submit(SynthesisRequest.of(ref, small(1)));
        // This job alone looks for its model in an empty folder: it fails, whatever is installed.
        Future<SynthesisResult> bad = service.submit(SynthesisRequest.of(ref, small(2)).withModelsFolder(empty));
        Future<SynthesisResult> b = service.submit(SynthesisRequest.of(ref, small(3)));
        assertEquals(1, a.get().seeds()[0]);
        ExecutionException e = assertThrows(ExecutionException.class, bad::get);
        assertTrue(e.getCause() instanceof ModelException && e.getCause().getMessage().contains(empty.toString()),
                e.toString());
        assertEquals(3, b.get().seeds()[0], "the job after a failing one still runs");
        assertEquals(0, service.pendingJobs());
        assertEquals(defaults, service.modelsFolder(), "a job's own folder does not change the service's default");
    }

    @Test
    void disposeDuringARunCancelsItWaitsAndFreesTheModel() throws Exception {
        Context own = new Context(ImagineService.class);
        ImagineService s = own.getService(ImagineService.class);
        s.setModelsFolder(TestModels.modelsDir());
        RgbImage ref = new RgbImage(48, 48, new float[3 * 48 * 48]);
        CountDownLatch running = new CountDownLatch(1);
        CancellationToken token = new CancellationToken();
        ImagineConfig longRun = small(4).toBuilder().iterations(100_000).build();
        Future<SynthesisResult> job = s.submit(SynthesisRequest.of(ref, longRun).withListener(p -> {
            if (p.iteration() >= 3) {
                running.countDown();
            }
        }).withCancel(token));
        Future<SynthesisResult> queued = s.submit(SynthesisRequest.of(ref, small(5)));
        assertTrue(running.await(120, TimeUnit.SECONDS), "the first job started");
        long t0 = System.nanoTime();
        own.dispose();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(seconds < 30, "dispose waited " + seconds + " s");
        assertTrue(token.isCancelled(), "the running job was cancelled");
        SynthesisResult r = job.get(1, TimeUnit.SECONDS); // already done: dispose waited for it
        assertTrue(r.cancelled() && r.iterationsDone() < 100_000, "stopped early with its samples");
        assertEquals(2, r.samples().size());
        assertThrows(CancellationException.class, () -> queued.get(1, TimeUnit.SECONDS), "the queued job never runs");
    }
}
