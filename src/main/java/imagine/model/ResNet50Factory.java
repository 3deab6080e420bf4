package imagine.model;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;

/** torchvision's ResNet-50 from one float32 safetensors file (never a pickled .pth: unpickling can run code). */
final class ResNet50Factory implements BackboneFactory {

    static final String FORMAT = "resnet50-safetensors";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public List<ModelSpec> models() {
        return List.of(ModelSpec.RESNET50);
    }

    @Override
    public String mainFile() {
        return "model.safetensors";
    }

    @Override
    public void read(ModelSpec spec, Path folder) {
        SafeTensors.read(folder.resolve(mainFile()));
    }

    @Override
    public Backbone build(ModelSpec spec, Path folder, List<String> labels, Device device) {
        return ResNet50.build(spec.id(), SafeTensors.read(folder.resolve(mainFile())), labels, spec.defaultTaps(),
                spec.input(), device);
    }

    @Override
    public String missing(ModelSpec spec, Path folder) {
        return "Model " + spec.id() + " is not in " + folder.getParent() + ": expected " + folder.resolve(mainFile())
                + ". Put the float32 safetensors file of torchvision's ResNet-50 there (for example model.safetensors of "
                + "timm/resnet50.tv_in1k); .pth files are not loaded because unpickling them can run code.";
    }
}
