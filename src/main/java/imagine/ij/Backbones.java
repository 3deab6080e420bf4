package imagine.ij;

import imagine.model.Backbone;
import imagine.model.Engines;
import imagine.model.ModelStore;
import java.nio.file.Path;

/**
 * Keeps one loaded backbone for the ImageJ session: loading costs a second or two and the
 * weights stay on the device. Replaced when another model or folder is asked for.
 */
final class Backbones {

    private static Backbone current;
    private static Path currentFolder;

    private Backbones() {}

    static synchronized Backbone get(String modelId, Path modelsDir) {
        ModelStore store = ModelStore.configured(modelsDir);
        Path folder = store.folderOf(modelId);
        if (current != null && current.id().equals(modelId) && folder.equals(currentFolder)) {
            return current;
        }
        Backbone b = store.load(modelId, Engines.device("auto"));
        if (current != null) {
            current.close();
        }
        current = b;
        currentFolder = folder;
        return b;
    }
}
