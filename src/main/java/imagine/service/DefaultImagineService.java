package imagine.service;

import imagine.config.ImagineConfig;
import imagine.core.CancellationToken;
import imagine.core.ImagineEngine;
import imagine.core.Prediction;
import imagine.core.SynthesisResult;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.Engines.DeviceChoice;
import imagine.model.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

/**
 * Default {@link ImagineService}: one worker thread, so jobs queue in order (the engine also runs
 * one synthesis at a time per process), and the last backbone kept loaded. Nothing starts in
 * {@code initialize()}: Fiji starts every service at launch, DJL starts on the first job.
 */
@Plugin(type = Service.class)
public class DefaultImagineService extends AbstractService implements ImagineService {

    /** How long {@link #dispose()} waits for a cancelled job to reach the end of its step. */
    static final long DISPOSE_WAIT_SECONDS = 60;

    @Parameter(required = false)
    private LogService log;

    private ExecutorService worker;
    private final AtomicInteger pending = new AtomicInteger();
    /** The running job's token, so dispose can stop it. */
    private volatile CancellationToken running;
    // Guarded by this: loaded on the worker, closed by dispose once the worker has stopped.
    private Backbone backbone;
    private Path backboneFolder;
    private Path modelsFolder;
    private DeviceChoice device = DeviceChoice.AUTO;

    // -- ImagineService methods --

    @Override
    public Future<SynthesisResult> submit(SynthesisRequest r) {
        ImagineConfig c = r.config();
        // Resolved here too, so a bad control fails in the caller's thread before it waits in the queue.
        r.controls().resolve(r.reference().width(), r.reference().height(), c.output().width(), c.output().height());
        return enqueue(r.cancel(), () -> new ImagineEngine(backbone(c.output().model(), r.modelsFolder(), r.device()))
                .synthesize(r.reference(), r.colors(), r.controls(), c, r.listener(), r.cancel()));
    }

    @Override
    public SynthesisResult synthesize(SynthesisRequest request) {
        return await(submit(request), request.cancel());
    }

    @Override
    public <T extends RealType<T>> Img<FloatType> synthesize(RandomAccessibleInterval<T> reference, double min,
            double max, ImagineConfig config) {
        RgbImage ref = Imglib2Images.toRgb(reference, min, max);
        SynthesisResult r = synthesize(SynthesisRequest.of(ref, config));
        return Imglib2Images.stack(r.samples());
    }

    @Override
    public List<Prediction> classify(RgbImage image, String modelId, int topK) {
        return classify(image, modelId, null, topK);
    }

    @Override
    public List<Prediction> classify(RgbImage image, String modelId, Path folder, int topK) {
        return await(enqueue(null, () -> new ImagineEngine(backbone(modelId, folder, null)).classify(image, topK)), null);
    }

    @Override
    public int pendingJobs() {
        return pending.get();
    }

    @Override
    public synchronized void setModelsFolder(Path folder) {
        modelsFolder = folder;
    }

    @Override
    public synchronized Path modelsFolder() {
        return ModelStore.configured(modelsFolder).modelsDir();
    }

    @Override
    public synchronized void setDevice(DeviceChoice d) {
        device = d == null ? DeviceChoice.AUTO : d;
    }

    @Override
    public synchronized DeviceChoice device() {
        return device;
    }

    // -- Disposable methods --

    /**
     * Cancels the running job and the queued ones, waits for the running one to finish its step,
     * then frees the model. Freeing native memory under a step that still runs would crash the JVM,
     * so if the job does not stop in time the model is left to the process's end.
     */
    @Override
    public void dispose() {
        ExecutorService w;
        synchronized (this) {
            w = worker;
            worker = null;
        }
        if (w != null) {
            CancellationToken token = running;
            if (token != null) {
                token.cancel();
            }
            for (Runnable queued : w.shutdownNow()) {
                if (queued instanceof Future<?> f) {
                    f.cancel(false); // a caller waiting on it gets a CancellationException, not a hang
                }
            }
            try {
                if (!w.awaitTermination(DISPOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    warn("IMAGINE: a job did not stop within " + DISPOSE_WAIT_SECONDS + " s; its model stays loaded.");
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (this) {
            if (backbone != null) {
                backbone.close();
                backbone = null;
                backboneFolder = null;
            }
        }
    }

    // -- Helper methods --

    /** Queues a job on the single worker, counted as pending until it ends. */
    private <T> Future<T> enqueue(CancellationToken cancel, Callable<T> job) {
        pending.incrementAndGet();
        try {
            return worker().submit(() -> {
                running = cancel;
                try {
                    return job.call();
                } finally {
                    running = null;
                    pending.decrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            pending.decrementAndGet(); // disposed meanwhile
            throw e;
        }
    }

    private synchronized ExecutorService worker() {
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "IMAGINE worker");
                t.setDaemon(true);
                // DJL finds its engine through the context class loader; inside ImageJ that is not the plugin's.
                t.setContextClassLoader(DefaultImagineService.class.getClassLoader());
                return t;
            });
        }
        return worker;
    }

    /**
     * The backbone for a job (loaded once and kept). Called on the worker thread only; the lock is
     * held to read the settings and swap the model, not while a model loads.
     */
    private Backbone backbone(String modelId, Path folderOverride, DeviceChoice deviceOverride) {
        ModelStore store;
        DeviceChoice dev;
        Backbone kept;
        synchronized (this) {
            store = ModelStore.configured(folderOverride != null ? folderOverride : modelsFolder);
            dev = deviceOverride != null ? deviceOverride : device;
            kept = backbone;
        }
        Path folder = store.folderOf(modelId);
        if (kept != null && kept.id().equals(modelId) && folder.equals(backboneFolder) && dev.accepts(kept.device())) {
            return kept;
        }
        Backbone b = store.load(modelId, Engines.device(dev));
        synchronized (this) {
            if (backbone != null) {
                backbone.close();
            }
            backbone = b;
            backboneFolder = folder;
        }
        return b;
    }

    private void warn(String message) {
        if (log != null) {
            log.warn(message);
        } else {
            System.err.println(message);
        }
    }

    private static <T> T await(Future<T> f, CancellationToken cancel) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            if (cancel != null) {
                cancel.cancel();
            }
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for IMAGINE");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }
}
