package imagine.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import imagine.core.CancellationToken;
import imagine.core.Controls;
import imagine.core.Mask;
import imagine.core.Placement;
import imagine.core.ImagineConfig;
import imagine.core.Progress;
import imagine.core.ProgressListener;
import imagine.core.RgbImage;
import imagine.core.SynthesisResult;
import imagine.model.ModelException;
import imagine.model.ModelSpec;
import imagine.model.ModelStore;
import imagine.service.ImagineService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the three IMAGINE commands share: the active image (its current plane, as displayed) is
 * the reference and its area selection, if any, marks the object; the samples open as a new
 * stack. The job runs in the ImagineService's queue and the command waits for it, so a macro's
 * run() returns when the result window exists. Common macro keys: samples, width, height,
 * iterations, seed, preset, model, class, models_folder and the flags all_slices (every z-slice
 * and frame of a stack is a reference in turn; the samples of all planes land in one stack) and
 * preview (a live window); subclasses add their controls' keys.
 */
abstract class ImagineCommand implements PlugIn {

    static final String PREF = "imagine.";

    /** The macro keys every command's dialog has; stable: renaming one breaks users' macros. */
    static final java.util.List<String> KEYS = java.util.List.of("samples", "width", "height", "iterations", "seed",
            "preset", "model", "class", "models_folder", "all_slices", "preview");

    /** The dialog title and menu label without the dots. */
    abstract String title();

    /** Macro keys of the controls this command adds. */
    java.util.List<String> controlKeys() {
        return java.util.List.of();
    }

    /** Adds this command's control fields to the dialog. */
    void addControlFields(GenericDialog gd, ImagePlus imp) {}

    /**
     * Reads the control fields in the order they were added and turns them into targets.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    Controls readControls(GenericDialog gd, ImagePlus imp, Controls withObject, int outW, int outH) {
        return withObject;
    }

    @Override
    public void run(String arg) {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            Messages.error("Open a reference image first, then run " + title() + ".");
            return;
        }
        java.util.List<String> keys = new java.util.ArrayList<>(KEYS);
        keys.addAll(controlKeys());
        String unknown = MacroKeys.unknown(ij.Macro.getOptions(), keys);
        if (unknown != null) {
            Messages.error(unknown);
            return;
        }
        Controls object;
        try {
            Mask m = RoiMasks.objectMask(imp);
            object = m == null ? Controls.none() : Controls.none().withObjectMask(m);
        } catch (IllegalArgumentException e) {
            Messages.error(e.getMessage());
            return;
        }
        String[] presets = {"fast", "default", "quality"};
        String[] models = ModelSpec.known().stream().map(ModelSpec::id).toArray(String[]::new);
        boolean isStack = imp.getNSlices() * imp.getNFrames() > 1;
        GenericDialog gd = new GenericDialog(title());
        gd.addMessage("Reference: " + imp.getTitle() + " (current plane, as displayed)"
                + (imp.getRoi() != null ? "; its selection marks the object" : ""));
        gd.addNumericField("samples", Prefs.get(PREF + "samples", 1), 0);
        gd.addNumericField("width", Prefs.get(PREF + "width", 224), 0, 6, "px");
        gd.addNumericField("height", Prefs.get(PREF + "height", 224), 0, 6, "px");
        gd.addNumericField("iterations", 0, 0, 6, "(0 = from the preset)");
        gd.addNumericField("seed", 0, 0);
        gd.addChoice("preset", presets, Prefs.get(PREF + "preset", "default"));
        gd.addChoice("model", models, Prefs.get(PREF + "model", ModelSpec.DEFAULT_ID));
        gd.addNumericField("class", -1, 0, 6, "(-1 = the reference's class)");
        Fields.addFolder(gd, "models_folder", Prefs.get(PREF + "models_folder",
                ModelStore.configuredFolder().map(Path::toString).orElse(ModelStore.defaultCache().toString())), 24);
        gd.addCheckbox("all_slices (each plane of the stack in turn)", false);
        gd.addCheckbox("preview (live window)", Prefs.get(PREF + "preview", false));
        addControlFields(gd, imp);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        int samples = (int) gd.getNextNumber();
        int width = (int) gd.getNextNumber();
        int height = (int) gd.getNextNumber();
        int iterations = (int) gd.getNextNumber();
        double seed = gd.getNextNumber();
        String preset = gd.getNextChoice();
        String model = gd.getNextChoice();
        double cls = gd.getNextNumber();
        String folder = gd.getNextString().trim();
        boolean allSlices = gd.getNextBoolean() && isStack;
        boolean preview = gd.getNextBoolean();
        if (gd.invalidNumber()) {
            Messages.error("A number field holds no number: " + gd.getErrorMessage());
            return;
        }
        ImagineConfig cfg;
        Controls controls;
        try {
            ImagineConfig.Builder b = ImagineConfig.preset(ImagineConfig.Preset.parse(preset)).size(width, height)
                    .samples(samples).seed((long) seed).targetClass((int) cls).model(model);
            if (iterations != 0) {
                b.iterations(iterations);
            }
            cfg = b.build();
            controls = readControls(gd, imp, object, cfg.width, cfg.height);
            Placement p = controls.resolve(imp.getWidth(), imp.getHeight(), cfg.width, cfg.height);
            p.warnings().forEach(w -> IJ.log("IMAGINE: " + w));
        } catch (IllegalArgumentException e) {
            Messages.error(e.getMessage());
            return;
        }
        Prefs.set(PREF + "samples", samples);
        Prefs.set(PREF + "width", width);
        Prefs.set(PREF + "height", height);
        Prefs.set(PREF + "preset", preset);
        Prefs.set(PREF + "model", model);
        Prefs.set(PREF + "models_folder", folder);
        Prefs.set(PREF + "preview", preview);
        List<ImageConversion.Plane> planes = allSlices ? ImageConversion.planes(imp)
                : List.of(new ImageConversion.Plane("", ImageConversion.toRgb(imp)));
        String title = "IMAGINE of " + imp.getTitle();
        List<SynthesisResult> results = new ArrayList<>();
        try (PreviewWindow live = preview && PreviewWindow.canShow()
                ? new PreviewWindow("IMAGINE preview of " + imp.getTitle(), cfg.width, cfg.height) : null) {
            IJ.showStatus("IMAGINE: starting (the model loads once per session)...");
            ImagineService service = Services.imagine();
            service.setModelsFolder(folder.isEmpty() ? null : Path.of(folder));
            service.setDevice(Prefs.get(PREF + "device", "auto"));
            if (service.pendingJobs() > 0) {
                IJ.showStatus("IMAGINE: waiting for " + service.pendingJobs() + " earlier job(s)...");
            }
            CancellationToken cancel = new CancellationToken();
            IJ.resetEscape();
            for (int i = 0; i < planes.size() && !cancel.isCancelled(); i++) {
                String where = planes.size() > 1 ? "plane " + (i + 1) + "/" + planes.size() + " " : "";
                results.add(service.synthesize(planes.get(i).image(), controls, cfg, progress(cancel, where, live), cancel));
            }
        } catch (ModelException | IllegalArgumentException | ArithmeticException e) {
            IJ.showProgress(1.0);
            Messages.error(e.getMessage());
            return;
        } catch (RuntimeException e) {
            IJ.showProgress(1.0);
            Messages.error("IMAGINE failed: " + e + ". Details are in the Log window.");
            IJ.log(stackTrace(e));
            return;
        }
        IJ.showProgress(1.0);
        if (WindowManager.getImage(title) != null) {
            title = WindowManager.getUniqueName(title); // never reuse an open window's title
        }
        ImageStack stack = new ImageStack(cfg.width, cfg.height);
        for (int i = 0; i < results.size(); i++) {
            SynthesisResult r = results.get(i);
            // A cancelled run's samples are its state at the last iteration; the label says so.
            String prefix = (planes.get(i).label() + (r.cancelled() ? " cancelled at " + r.iterationsDone() + "/"
                    + r.config().iterations : "")).trim();
            ImageConversion.addSamples(stack, r.samples(), r.seeds(), prefix);
        }
        ImagePlus out = new ImagePlus(title, stack);
        out.setCalibration(imp.getCalibration().copy());
        out.setProperty("Info", info(imp, results, planes, controls));
        // The same as JSON, saved with the image in TIFF files; macros read it with Property.get("imagine_json").
        out.setProp("imagine_json", json(imp, results, planes, controls));
        out.show();
        SynthesisResult last = results.get(results.size() - 1);
        double seconds = results.stream().mapToDouble(r -> r.timings().get("total")).sum() / 1000.0;
        IJ.showStatus(String.format(Locale.ROOT, "IMAGINE: %s%d sample(s) of class %d (%s) in %.1f s",
                cancelled(results, planes) ? "cancelled, " : "", stack.getSize(), last.targetClass(), last.targetLabel(), seconds));
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter w = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(w));
        return w.toString();
    }

    private static ProgressListener progress(CancellationToken cancel, String where, PreviewWindow live) {
        return new ProgressListener() {
            @Override
            public void onProgress(Progress p) {
                if (IJ.escapePressed()) {
                    cancel.cancel();
                }
                IJ.showProgress(p.fraction());
                IJ.showStatus(String.format(Locale.ROOT, "IMAGINE %s%d/%d (%s) loss %.3f, %d s left (Esc cancels)",
                        where, p.iteration(), p.totalIterations(), p.stage(), p.total(), p.etaMillis() / 1000));
            }

            @Override
            public boolean wantsPreview(Progress p) {
                return live != null && (p.iteration() % PreviewWindow.EVERY == 0 || p.iteration() == 1);
            }

            @Override
            public void onPreview(List<RgbImage> samples) {
                live.update(samples);
            }
        };
    }

    /** Whether the run stopped early: its last job was cancelled, or planes were left undone. */
    private static boolean cancelled(List<SynthesisResult> results, List<ImageConversion.Plane> planes) {
        return results.get(results.size() - 1).cancelled() || results.size() < planes.size();
    }

    static String json(ImagePlus ref, List<SynthesisResult> results, List<ImageConversion.Plane> planes,
            Controls controls) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("tool", "IMAGINE for Fiji");
        m.put("reference", ref.getTitle());
        if (!controls.isEmpty()) {
            m.put("controls", controls.describe());
        }
        List<Object> runs = new ArrayList<>();
        for (int k = 0; k < results.size(); k++) {
            java.util.Map<String, Object> run = new java.util.LinkedHashMap<>();
            if (!planes.get(k).label().isEmpty()) {
                run.put("plane", planes.get(k).label());
            }
            run.putAll(results.get(k).describe());
            runs.add(run);
        }
        m.put("runs", runs);
        return new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(m);
    }

    static String info(ImagePlus ref, List<SynthesisResult> results, List<ImageConversion.Plane> planes,
            Controls controls) {
        SynthesisResult r = results.get(results.size() - 1);
        StringBuilder sb = new StringBuilder("IMAGINE synthesis\n");
        sb.append("reference = ").append(ref.getTitle()).append('\n');
        if (!controls.isEmpty()) {
            sb.append("controls = ").append(controls.describe()).append('\n');
        }
        sb.append("cancelled = ").append(cancelled(results, planes)).append('\n');
        sb.append("target_class = ").append(r.targetClass()).append(" (").append(r.targetLabel()).append(")\n");
        sb.append("model = ").append(r.model()).append("\ndevice = ").append(r.device()).append('\n');
        if (planes.size() > 1) {
            sb.append("all_slices = true (").append(results.size()).append(" of ").append(planes.size())
                    .append(" planes done)\n");
        }
        int n = 0;
        for (int k = 0; k < results.size(); k++) {
            SynthesisResult rk = results.get(k);
            for (int i = 0; i < rk.seeds().length; i++) {
                sb.append("sample ").append(++n).append(": ");
                if (!planes.get(k).label().isEmpty()) {
                    sb.append(planes.get(k).label()).append(' ');
                }
                sb.append("seed=").append(rk.seeds()[i]).append(" predicted_class=").append(rk.predictedClasses()[i])
                        .append('\n');
            }
        }
        r.config().toMap().forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        r.finalLosses().forEach((k, v) -> sb.append("loss_").append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }
}
