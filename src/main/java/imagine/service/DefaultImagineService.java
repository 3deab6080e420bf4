package imagine.service;

import imagine.core.CancellationToken;
import imagine.core.Controls;
import imagine.core.ImagineConfig;
import imagine.core.ImagineEngine;
import imagine.core.Prediction;
import imagine.core.ProgressListener;
import imagine.core.RgbImage;
import imagine.core.SynthesisResult;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import org.scijava.plugin.Plugin;
import org.scijava.service.AbstractService;
import org.scijava.service.Service;

/**
 * Default {@link ImagineService}: one worker thread (DJL records gradients globally, so jobs
 * never overlap), backbones cached by model id and folder. Nothing starts in
 * {@code initialize()}: Fiji starts every service at launch, DJL starts on the first job.
 */
@Plugin(type = Service.class)
public class DefaultImagineService extends AbstractService implements ImagineService {

    private ExecutorService worker;
    private final AtomicInteger pending = new AtomicInteger();
    private Backbone backbone;
    private Path backboneFolder;
    private Path modelsFolder;
    private String device = "auto";

    // -- ImagineService methods --

    @Override
    public Future<SynthesisResult> submit(RgbImage reference, Controls controls, ImagineConfig config,
            ProgressListener listener, CancellationToken cancel) {
        // Resolved here too, so a bad control fails in the caller's thread before it waits in the queue.
        controls.resolve(reference.width(), reference.height(), config.width, config.height);
        return enqueue(() -> new ImagineEngine(backbone(config.modelId)).synthesize(reference, controls, config, listener,
                cancel));
    }

    @Override
    public SynthesisResult synthesize(RgbImage reference, Controls controls, ImagineConfig config,
            ProgressListener listener, CancellationToken cancel) {
        return await(submit(reference, controls, config, listener, cancel), cancel);
    }

    @Override
    public <T extends RealType<T>> Img<FloatType> synthesize(RandomAccessibleInterval<T> reference, double min,
            double max, ImagineConfig config) {
        RgbImage ref = Imglib2Images.toRgb(reference, min, max);
        SynthesisResult r = synthesize(ref, config, ProgressListener.NONE, new CancellationToken());
        return Imglib2Images.stack(r.samples());
    }

    @Override
    public List<Prediction> classify(RgbImage image, String modelId, int topK) {
        return await(enqueue(() -> new ImagineEngine(backbone(modelId)).classify(image, topK)), null);
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
    public synchronized void setDevice(String device) {
        if (!List.of("auto", "cpu", "gpu").contains(device)) {
            throw new IllegalArgumentException("Unknown device '" + device + "'; use auto, cpu or gpu.");
        }
        this.device = device;
    }

    @Override
    public synchronized String device() {
        return device;
    }

    // -- Disposable methods --

    @Override
    public synchronized void dispose() {
        if (worker != null) {
            worker.shutdownNow();
            worker = null;
        }
        if (backbone != null) {
            backbone.close();
            backbone = null;
        }
    }

    // -- Helper methods --

    /** Queues a job on the single worker, counted as pending until it ends. */
    private <T> Future<T> enqueue(java.util.concurrent.Callable<T> job) {
        pending.incrementAndGet();
        return worker().submit(() -> {
            try {
                return job.call();
            } finally {
                pending.decrementAndGet();
            }
        });
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

    /** Called on the worker thread only. */
    private Backbone backbone(String modelId) {
        ModelStore store;
        String dev;
        synchronized (this) {
            store = ModelStore.configured(modelsFolder);
            dev = device;
        }
        Path folder = store.folderOf(modelId);
        if (backbone != null && backbone.id().equals(modelId) && folder.equals(backboneFolder)
                && matches(backbone, dev)) {
            return backbone;
        }
        Backbone b = store.load(modelId, Engines.device(dev));
        if (backbone != null) {
            backbone.close();
        }
        backbone = b;
        backboneFolder = folder;
        return b;
    }

    private static boolean matches(Backbone b, String dev) {
        return dev.equals("auto") || b.device().getDeviceType().equals(dev);
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
