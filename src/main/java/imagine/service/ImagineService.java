package imagine.service;

import imagine.config.ImagineConfig;
import imagine.core.Prediction;
import imagine.core.SynthesisResult;
import imagine.image.RgbImage;
import imagine.model.Engines.DeviceChoice;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Future;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.Img;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import org.scijava.service.SciJavaService;

/**
 * The one entry point for IMAGINE jobs in a SciJava context: it owns the loaded backbone (loaded
 * once, reused) and runs one job at a time; later jobs wait in a queue. Scripts and plugins call it
 * without ImageJ windows. The models folder and device set here are defaults; a
 * {@link SynthesisRequest} can name others for one job without changing them.
 */
public interface ImagineService extends SciJavaService {

    /**
     * Queues a synthesis; the future completes when it has run (or failed). A request carries
     * everything about one job: {@code SynthesisRequest.of(reference, config)} with controls, a
     * progress listener, a cancel token, a models folder and a device as needed.
     */
    Future<SynthesisResult> submit(SynthesisRequest request);

    /** Synthesizes and waits; errors arrive as the engine's exceptions (messages written for users). */
    SynthesisResult synthesize(SynthesisRequest request);

    /**
     * The imglib2 form: the reference is (X, Y) gray or (X, Y, 3) RGB, values in [min, max];
     * the result is (X, Y, 3, samples) in [0, 1]. A gray reference gives gray samples (R = G = B).
     */
    <T extends RealType<T>> Img<FloatType> synthesize(RandomAccessibleInterval<T> reference, double min, double max,
            ImagineConfig config);

    List<Prediction> classify(RgbImage image, String modelId, int topK);

    /**
     * As {@link #classify(RgbImage, String, int)}, with the model from {@code modelsFolder} (null: the
     * default). A default method, so other implementations of this service keep compiling.
     */
    default List<Prediction> classify(RgbImage image, String modelId, Path modelsFolder, int topK) {
        return classify(image, modelId, topK);
    }

    /** Jobs queued or running. */
    int pendingJobs();

    /** Default models folder; null means the configured default (property, environment, user cache). */
    void setModelsFolder(Path folder);

    Path modelsFolder();

    /** Default device; takes effect for models loaded afterwards. */
    void setDevice(DeviceChoice device);

    /** auto, cpu or gpu, as scripts write it. */
    default void setDevice(String device) {
        setDevice(DeviceChoice.parse(device));
    }

    DeviceChoice device();
}
