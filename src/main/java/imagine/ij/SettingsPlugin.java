package imagine.ij;

import ij.IJ;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import imagine.UserInputException;
import imagine.model.Diagnostics;
import imagine.model.Engines;
import imagine.model.ModelSpec;
import imagine.model.ModelStore;
import imagine.service.ImagineService;
import java.awt.Button;
import java.awt.FlowLayout;
import java.awt.Panel;
import java.nio.file.Path;
import java.util.List;

/**
 * Plugins>IMAGINE>IMAGINE Settings...: the device and the models folder (kept in ImageJ's
 * preferences, used by the service), with what a user needs to know about them (the device in
 * use, the models found and where); the engine's full diagnostics go to the Log only from the
 * Details button, for support. Macro keys: device, models_folder.
 */
public final class SettingsPlugin implements PlugIn {

    @Override
    public void run(String arg) {
        Messages.reporting(this::runSettings);
    }

    private void runSettings() {
        String unknown = MacroKeys.unknown(ij.Macro.getOptions(), List.of("device", "models_folder"));
        if (unknown != null) {
            Messages.error(unknown);
            return;
        }
        ImagineService service = Services.imagine();
        String folder = Prefs.get(ImagineCommand.PREF + "models_folder", service.modelsFolder().toString());
        GenericDialog gd = new GenericDialog("IMAGINE Settings");
        gd.addChoice("Device", new String[] {"auto", "cpu", "gpu"}, Prefs.get(ImagineCommand.PREF + "device", "auto"));
        gd.addMessage(Messages.wrap("auto = " + deviceInUse() + ".", Messages.COLUMNS));
        Fields.addFolder(gd, "Models_folder", folder, 30);
        gd.addMessage(Messages.wrap(modelsFound(folder), Messages.COLUMNS));
        if (ij.Macro.getOptions() == null && !java.awt.GraphicsEnvironment.isHeadless()) {
            Button details = new Button("Details for support...");
            java.awt.TextField field = (java.awt.TextField) gd.getStringFields().lastElement();
            details.addActionListener(e -> {
                String typed = field.getText().trim(); // the folder as typed now, not as the dialog opened
                new Thread(() -> IJ.log("IMAGINE diagnostics\n" + Diagnostics.report(typed.isBlank() ? null : Path.of(typed))),
                        "IMAGINE diagnostics").start();
            });
            Panel p = new Panel(new FlowLayout(FlowLayout.LEFT, 0, 0));
            p.add(details);
            gd.addPanel(p);
        }
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
        IJ.log("IMAGINE settings: device " + device + " (" + deviceInUse() + "); " + modelsFound(models));
    }

    /** Which device "auto" picks here, in words. */
    static String deviceInUse() {
        try {
            int gpus = Engines.pytorch().getGpuCount();
            // What auto really picks: a GPU that fails its test computation falls back to the CPU.
            boolean gpu = Engines.device(Engines.DeviceChoice.AUTO).isGpu();
            return gpu ? "the GPU (" + gpus + " CUDA device(s) found)" : gpus > 0
                    ? "the CPU (" + gpus + " CUDA device(s) found, but none passed a test computation)"
                    : "the CPU (no CUDA GPU found)";
        } catch (RuntimeException e) {
            return "unknown: the engine did not start (" + e.getMessage() + ")";
        }
    }

    /** The models installed in {@code folder} and where, in words. */
    static String modelsFound(String folder) {
        ModelStore store = ModelStore.configured(folder.isBlank() ? null : Path.of(folder));
        List<String> installed = ModelSpec.known().stream().map(ModelSpec::id).filter(store::isInstalled).toList();
        return "Models in " + store.modelsDir() + ": " + (installed.isEmpty()
                ? "none installed (the Help of IMAGINE Synthesize says how to install one)"
                : String.join(", ", installed)) + ".";
    }
}
