package imagine.model;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;

/**
 * A kind of backbone: the models it provides (their catalog entries), how their files are read and
 * built, and what a user is told when the files are missing. The store finds every factory with
 * Java's {@link java.util.ServiceLoader} (a line naming the class in {@code
 * META-INF/services/imagine.model.BackboneFactory} of its jar), so a new backbone is one class in
 * any package; the built-in ones are the TensorFlow.js MobileNets and torchvision's ResNet-50.
 * See docs/development.md.
 */
public interface BackboneFactory {

    /** The format this factory reads: the {@link ModelSpec#format()} of its models. */
    String format();

    /** Its catalog entries. */
    List<ModelSpec> models();

    /** The file whose presence in a model's folder means the model is installed. */
    String mainFile();

    /** Reads the model's files without building anything (doctor's check); fails as a load would. */
    void read(ModelSpec spec, Path folder);

    /** The backbone of {@code spec} from its folder, on {@code device}, with these class labels. */
    Backbone build(ModelSpec spec, Path folder, List<String> labels, Device device);

    /** What to tell the user when the model's main file is not in {@code folder}. */
    String missing(ModelSpec spec, Path folder);

    /** Whether the store may download its public copy (when downloads are on). */
    default boolean downloadable() {
        return false;
    }
}
