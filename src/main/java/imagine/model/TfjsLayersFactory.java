package imagine.model;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;

/** The MobileNet V1 family in the TensorFlow.js layers format (model.json and weight shards), built as a Keras graph. */
final class TfjsLayersFactory implements BackboneFactory {

    static final String FORMAT = "tfjs-layers";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public List<ModelSpec> models() {
        return List.of(ModelSpec.MOBILENET_V1_075, ModelSpec.MOBILENET_V1_100, ModelSpec.MOBILENET_V1_050,
                ModelSpec.MOBILENET_V1_025);
    }

    @Override
    public String mainFile() {
        return "model.json";
    }

    @Override
    public void read(ModelSpec spec, Path folder) {
        TfjsModel.read(folder);
    }

    @Override
    public Backbone build(ModelSpec spec, Path folder, List<String> labels, Device device) {
        return KerasGraph.build(spec.id(), TfjsModel.read(folder), labels, spec.nativeSize(), spec.defaultTaps(),
                spec.input(), device);
    }

    @Override
    public String missing(ModelSpec spec, Path folder) {
        return "Model " + spec.id() + " is not in " + folder.getParent() + ": expected " + folder.resolve(mainFile())
                + " and its weight files. Download the TensorFlow.js copy (" + ModelDownloader.TFJS_BASE + spec.id()
                + "/model.json and the files it names) into that folder, or allow downloads with -Dai.djl.offline=false.";
    }

    @Override
    public boolean downloadable() {
        return true;
    }
}
