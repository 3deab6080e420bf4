package imagine.ij;

import imagine.UserInputException;
import ij.IJ;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import imagine.model.Diagnostics;
import imagine.model.ModelStore;
import imagine.service.ImagineService;
import java.nio.file.Path;

/**
 * Plugins>IMAGINE>IMAGINE Settings...: device and models folder (kept in ImageJ's preferences,
 * used by the service), and the diagnostics report, also written to the Log for copying.
 * Macro keys: device, models_folder.
 */
public final class SettingsPlugin implements PlugIn {

    @Override
    public void run(String arg) {
        String unknown = MacroKeys.unknown(ij.Macro.getOptions(), java.util.List.of("device", "models_folder"));
        if (unknown != null) {
            Messages.error(unknown);
            return;
        }
        ImagineService service = Services.imagine();
        String folder = Prefs.get(ImagineCommand.PREF + "models_folder", service.modelsFolder().toString());
        GenericDialog gd = new GenericDialog("IMAGINE Settings");
        gd.addChoice("device", new String[] {"auto", "cpu", "gpu"}, Prefs.get(ImagineCommand.PREF + "device", "auto"));
        Fields.addFolder(gd, "models_folder", folder, 30);
        gd.addMessage("Diagnostics are written to the Log window.");
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String device = gd.getNextChoice();
        String models = gd.getNextString().trim();
        try {
            service.setDevice(device);
        } catch (UserInputException e) {
            Messages.error(e.getMessage());
            return;
        }
        service.setModelsFolder(models.isEmpty() ? null : Path.of(models));
        Prefs.set(ImagineCommand.PREF + "device", device);
        Prefs.set(ImagineCommand.PREF + "models_folder", models);
        IJ.log("IMAGINE diagnostics\n" + Diagnostics.report(models.isEmpty() ? ModelStore.configuredFolder().orElse(null)
                : Path.of(models)));
    }
}
