package imagine.toys;

import ai.djl.Device;
import imagine.model.Backbone;
import imagine.model.BackboneFactory;
import imagine.model.InputSpec;
import imagine.model.ModelException;
import imagine.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The factory that makes {@link ToyBackbone} a model of the store: its catalog entry, its one file
 * (a seed), and the message when the file is missing. Registered in
 * META-INF/services/imagine.model.BackboneFactory, as any backbone of one's own would be.
 */
public final class ToyBackboneFactory implements BackboneFactory {

    static final String ID = "toy_conv";
    static final ModelSpec SPEC = new ModelSpec(ID, "A toy backbone (tests)", "toy-seed", 64, InputSpec.MINUS_ONE_TO_ONE,
            List.of("toy1", "toy2"), List.of("toy1", "toy2"), "none", "made by the test", new ModelSpec.Cost(100, 50, 50));

    @Override
    public String format() {
        return "toy-seed";
    }

    @Override
    public List<ModelSpec> models() {
        return List.of(SPEC);
    }

    @Override
    public String mainFile() {
        return "seed.txt";
    }

    @Override
    public void read(ModelSpec spec, Path folder) {
        seed(folder);
    }

    @Override
    public Backbone build(ModelSpec spec, Path folder, List<String> labels, Device device) {
        return new ToyBackbone(seed(folder), labels, device);
    }

    @Override
    public String missing(ModelSpec spec, Path folder) {
        return "Model " + ID + " is not in " + folder.getParent() + ": put a file seed.txt holding a number into " + folder + ".";
    }

    private long seed(Path folder) {
        try {
            return Long.parseLong(Files.readString(folder.resolve(mainFile())).trim());
        } catch (IOException | NumberFormatException e) {
            throw new ModelException("Model " + ID + ": " + folder.resolve(mainFile()) + " holds no number (" + e.getMessage()
                    + ").", e);
        }
    }
}
