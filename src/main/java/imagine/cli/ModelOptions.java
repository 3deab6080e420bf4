package imagine.cli;

import ai.djl.Device;
import imagine.core.ImagineEngine;
import imagine.core.SynthesisListener;
import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.ModelSpec;
import imagine.model.ModelStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Model and device options shared by the commands that run the network. */
public final class ModelOptions {

    @Option(names = "--model", paramLabel = "ID", description = "Model id (default: ${DEFAULT-VALUE}).")
    String model = ModelSpec.DEFAULT_ID;

    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Folder holding one folder per model (default: -Dimagine.models, $IMAGINE_MODELS, ~/.imagine/models).")
    Path modelsDir;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", description = "Where to compute (default: ${DEFAULT-VALUE}).")
    String device = "auto";

    @Option(names = "--threads", paramLabel = "N",
            description = "CPU threads (default: all cores). 1 makes runs byte-identical on the same machine, at about half the speed.")
    Integer threads;

    public Backbone load() {
        if (threads != null) {
            Engines.checkThreads(threads); // before the model loads
        }
        ModelStore store = ModelStore.configured(modelsDir);
        store.folderOf(model); // a missing model is reported before the engine starts
        Device d = Engines.device(device);
        return store.load(model, d);
    }

    /** --threads for work outside the engine (until closed). */
    Engines.ThreadScope threadScope() {
        return Engines.withThreads(threads == null ? 0 : threads);
    }

    /** The model id (--model). */
    public String model() {
        return model;
    }

    /** The engine on a loaded backbone with --threads CPU threads for its runs, if given, else {@code threadsDefault} (0 = all). */
    public ImagineEngine engine(Backbone backbone, int threadsDefault) {
        return ImagineEngine.builder(backbone).optThreads(threads != null ? threads : threadsDefault).build();
    }

    /** The engine on a loaded backbone, with --threads applied to its runs. */
    public ImagineEngine engine(Backbone backbone) {
        return engine(backbone, null);
    }

    /** The same, with {@code listener} (if not null) watching every run from inside the loop. */
    public ImagineEngine engine(Backbone backbone, SynthesisListener listener) {
        ImagineEngine.Builder b = ImagineEngine.builder(backbone).optThreads(threads == null ? 0 : threads);
        if (listener != null) {
            b.addListener(listener);
        }
        return b.build();
    }
}
