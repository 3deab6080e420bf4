package imagine.service;

import imagine.core.CancellationToken;
import imagine.core.Controls;
import imagine.core.ImagineConfig;
import imagine.core.Prediction;
import imagine.core.ProgressListener;
import imagine.core.RgbImage;
import imagine.core.SynthesisResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Future;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import org.scijava.service.SciJavaService;

/**
 * The one entry point for IMAGINE jobs in a SciJava context: it owns the engine, the device and
 * the loaded backbones (loaded once, reused), and runs one job at a time; later jobs wait in a
 * queue. Scripts and plugins call it without ImageJ windows.
 */
public interface ImagineService extends SciJavaService {

    /** Queues a synthesis; the future completes when it has run (or failed). */
    default Future<SynthesisResult> submit(RgbImage reference, ImagineConfig config, ProgressListener listener,
            CancellationToken cancel) {
        return submit(reference, Controls.none(), config, listener, cancel);
    }

    /** Queues a synthesis under position/shape controls (an object mask, target boxes or masks). */
    Future<SynthesisResult> submit(RgbImage reference, Controls controls, ImagineConfig config, ProgressListener listener,
            CancellationToken cancel);

    /** Synthesizes and waits; errors arrive as the engine's exceptions (messages written for users). */
    default SynthesisResult synthesize(RgbImage reference, ImagineConfig config, ProgressListener listener,
            CancellationToken cancel) {
        return synthesize(reference, Controls.none(), config, listener, cancel);
    }

    /** Synthesizes under controls and waits. */
    SynthesisResult synthesize(RgbImage reference, Controls controls, ImagineConfig config, ProgressListener listener,
            CancellationToken cancel);

    /**
     * The imglib2 form: the reference is (X, Y) gray or (X, Y, 3) RGB, values in [min, max];
     * the result is (X, Y, 3, samples) in [0, 1], wrapping the engine's arrays without copying.
     */
    <T extends RealType<T>> Img<FloatType> synthesize(RandomAccessibleInterval<T> reference, double min, double max,
            ImagineConfig config);

    List<Prediction> classify(RgbImage image, String modelId, int topK);

    /** Jobs queued or running. */
    int pendingJobs();

    /** Models folder; null means the configured default (property, environment, user cache). */
    void setModelsFolder(Path folder);

    Path modelsFolder();

    /** auto, cpu or gpu; takes effect for models loaded afterwards. */
    void setDevice(String device);

    String device();
}
