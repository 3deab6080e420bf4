package imagine.ij;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import imagine.UserInputException;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.controls.Placement;
import imagine.core.CancellationToken;
import imagine.core.Progress;
import imagine.core.ProgressListener;
import imagine.core.SynthesisDivergedException;
import imagine.core.SynthesisResult;
import imagine.image.ImageKind;
import imagine.image.Mask;
import imagine.image.RgbImage;
import imagine.model.Engines.DeviceChoice;
import imagine.model.ModelSpec;
import imagine.model.ModelStore;
import imagine.service.ImagineService;
import imagine.service.SynthesisRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the three IMAGINE commands share: the active image (its current plane, as displayed) is
 * the reference and its area selection, if any, marks the object; the samples open as a new
 * stack. The job runs in the ImagineService's queue and the command waits for it, so a macro's
 * run() returns when the result window exists. The dialog's fields are the macro keys (see
 * {@link #form}); subclasses add their controls' fields. The models folder and device apply to
 * this job only: a script's settings on the shared service are left as they are.
 */
abstract class ImagineCommand implements PlugIn {

    static final String PREF = "imagine.";

    /** The dialog title and menu label without the dots. */
    abstract String title();

    /** Adds this command's control fields to the form. */
    void addControlFields(Form form, ImagePlus imp) {}

    /**
     * Reads the control fields in the order they were added and turns them into targets.
     *
     * @throws UserInputException with a message for the user
     */
    Controls readControls(GenericDialog gd, ImagePlus imp, Controls withObject, int outW, int outH) {
        return withObject;
    }

    /** What the dialog asked for, read in field order. */
    private record Choices(int samples, int width, int height, int iterations, long seed, String preset, String model,
            int targetClass, String folder, String settings, boolean allSlices, boolean preview) {}

    /**
     * The dialog, field by field; its keys are this command's macro keys (stable: renaming one
     * breaks users' macros). {@code imp} may be null for a dry form.
     */
    final Form form(Form form, ImagePlus imp) {
        if (imp != null) {
            form.message("Reference: " + imp.getTitle() + " (current plane, as displayed)"
                    + (imp.getRoi() != null ? "; its selection marks the object" : ""));
        }
        String[] models = ModelSpec.known().stream().map(ModelSpec::id).toArray(String[]::new);
        form.number("samples", Prefs.get(PREF + "samples", 1), 0, "")
                .number("width", Prefs.get(PREF + "width", 224), 0, "px")
                .number("height", Prefs.get(PREF + "height", 224), 0, "px")
                .number("iterations", 0, 0, "(0 = from the preset)")
                .number("seed", 0, 0, "")
                .choice("preset", new String[] {"fast", "default", "quality"}, Prefs.get(PREF + "preset", "default"))
                .choice("model", models, Prefs.get(PREF + "model", ModelSpec.DEFAULT_ID))
                .number("class", -1, 0, "(-1 = the reference's class)")
                .folder("models_folder", Prefs.get(PREF + "models_folder",
                        ModelStore.configuredFolder().map(Path::toString).orElse(ModelStore.defaultCache().toString())), 24)
                .text("settings", "", 24)
                .message("settings: any engine setting as key=value, separated by spaces (Help lists them)")
                .flag("all_slices", "each plane of the stack in turn", false)
                .flag("preview", "live window", Prefs.get(PREF + "preview", false));
        addControlFields(form, imp);
        return form;
    }

    /** This command's macro keys, from a dry form. */
    final List<String> keys() {
        return form(Form.dry(), null).keys();
    }

    @Override
    public void run(String arg) {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            Messages.error("Open a reference image first, then run " + title() + ".");
            return;
        }
        GenericDialog gd = new GenericDialog(title());
        Form form = form(Form.of(gd), imp);
        gd.addHelp(SettingsHelp.html());
        String unknown = MacroKeys.unknown(ij.Macro.getOptions(), form.keys());
        if (unknown != null) {
            Messages.error(unknown);
            return;
        }
        try {
            Mask m = RoiMasks.objectMask(imp);
            Controls object = m == null ? Controls.none() : Controls.none().withObjectMask(m);
            gd.showDialog();
            if (gd.wasCanceled()) {
                return;
            }
            Choices c = read(gd);
            ImagineConfig cfg = config(c);
            Controls controls = readControls(gd, imp, object, cfg.output().width(), cfg.output().height());
            Placement p = controls.resolve(imp.getWidth(), imp.getHeight(), cfg.output().width(), cfg.output().height());
            p.warnings().forEach(w -> IJ.log("IMAGINE: " + w));
            remember(c);
            boolean isStack = imp.getNSlices() * imp.getNFrames() > 1;
            List<ImageConversion.Plane> planes = c.allSlices() && isStack ? ImageConversion.planes(imp)
                    : List.of(ImageConversion.current(imp));
            // How samples go back to the reference's kind, read before the run: the user may change the
            // display while it runs.
            Output kind = new Output(GrayMapping.of(imp), CompositeMapping.of(imp));
            List<SynthesisResult> results = synthesize(imp, planes, controls, cfg, c);
            show(imp, planes, controls, cfg, results, kind);
        } catch (UserInputException | SynthesisDivergedException e) {
            IJ.showProgress(1.0);
            Messages.error(e.getMessage());
        } catch (RuntimeException e) {
            IJ.showProgress(1.0);
            Messages.error("IMAGINE failed: " + e + ". Details are in the Log window.");
            IJ.log(stackTrace(e));
        }
    }

    private static Choices read(GenericDialog gd) {
        Choices c = new Choices((int) gd.getNextNumber(), (int) gd.getNextNumber(), (int) gd.getNextNumber(),
                (int) gd.getNextNumber(), (long) gd.getNextNumber(), gd.getNextChoice(), gd.getNextChoice(),
                (int) gd.getNextNumber(), gd.getNextString().trim(), gd.getNextString().trim(), gd.getNextBoolean(),
                gd.getNextBoolean());
        if (gd.invalidNumber()) {
            throw new UserInputException("A number field holds no number: " + gd.getErrorMessage());
        }
        return c;
    }

    private static ImagineConfig config(Choices c) {
        ImagineConfig.Builder b = ImagineConfig.preset(ImagineConfig.Preset.parse(c.preset())).size(c.width(), c.height())
                .samples(c.samples()).seed(c.seed()).targetClass(c.targetClass()).model(c.model());
        if (c.iterations() != 0) {
            b.iterations(c.iterations());
        }
        for (String pair : c.settings().split("[\\s;]+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UserInputException("settings: '" + pair + "' is not key=value (for example feature_weight=5).");
            }
            b.set(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return b.build();
    }

    private static void remember(Choices c) {
        Prefs.set(PREF + "samples", c.samples());
        Prefs.set(PREF + "width", c.width());
        Prefs.set(PREF + "height", c.height());
        Prefs.set(PREF + "preset", c.preset());
        Prefs.set(PREF + "model", c.model());
        Prefs.set(PREF + "models_folder", c.folder());
        Prefs.set(PREF + "preview", c.preview());
    }

    /** Every plane in turn through the shared service; Esc or a cancelled plane stops the rest. */
    private List<SynthesisResult> synthesize(ImagePlus imp, List<ImageConversion.Plane> planes, Controls controls,
            ImagineConfig cfg, Choices c) {
        List<SynthesisResult> results = new ArrayList<>();
        try (PreviewWindow live = c.preview() && PreviewWindow.canShow()
                ? new PreviewWindow("IMAGINE preview of " + imp.getTitle(), cfg.output().width(), cfg.output().height())
                : null) {
            IJ.showStatus("IMAGINE: starting (the model loads once per session)...");
            ImagineService service = Services.imagine();
            if (service.pendingJobs() > 0) {
                IJ.showStatus("IMAGINE: waiting for " + service.pendingJobs() + " earlier job(s)...");
            }
            CancellationToken cancel = new CancellationToken();
            IJ.resetEscape();
            for (int i = 0; i < planes.size() && !cancel.isCancelled(); i++) {
                String where = planes.size() > 1 ? "plane " + (i + 1) + "/" + planes.size() + " " : "";
                SynthesisRequest request = SynthesisRequest.of(planes.get(i).image(), cfg)
                        .withColors(planes.get(i).colors()).withControls(controls)
                        .withListener(progress(cancel, where, live)).withCancel(cancel)
                        .withModelsFolder(c.folder().isEmpty() ? null : Path.of(c.folder()))
                        .withDevice(DeviceChoice.parse(Prefs.get(PREF + "device", "auto")));
                results.add(service.synthesize(request));
            }
        }
        IJ.showProgress(1.0);
        return results;
    }

    /** The samples as a new stack (never reusing an open window's title), with Info and JSON. */
    /** The reference's gray or composite mapping, taken when the run started (either or both null). */
    private record Output(GrayMapping gray, CompositeMapping composite) {}

    private static void show(ImagePlus imp, List<ImageConversion.Plane> planes, Controls controls, ImagineConfig cfg,
            List<SynthesisResult> results, Output kind) {
        String title = "IMAGINE of " + imp.getTitle();
        if (WindowManager.getImage(title) != null) {
            title = WindowManager.getUniqueName(title);
        }
        ImageStack stack = new ImageStack(cfg.output().width(), cfg.output().height());
        // A gray reference's samples come back in its own type, range and LUT; a composite's as a composite.
        GrayMapping gray = results.stream().allMatch(r -> r.kind() == ImageKind.GRAY) ? kind.gray() : null;
        CompositeMapping composite = results.stream().allMatch(r -> r.kind() == ImageKind.COMPOSITE)
                ? kind.composite() : null;
        for (int i = 0; i < results.size(); i++) {
            SynthesisResult r = results.get(i);
            // A cancelled run's samples are its state at the last iteration; the label says so.
            String prefix = (planes.get(i).label() + (r.cancelled() ? " cancelled at " + r.iterationsDone() + "/"
                    + r.config().schedule().iterations() : "")).trim();
            if (composite != null) {
                ImageConversion.addChannels(stack, r, prefix, composite);
            } else {
                ImageConversion.addSamples(stack, r.samples(), r.seeds(), prefix, gray);
            }
        }
        ImagePlus out = composite != null ? composite.toComposite(title, stack) : new ImagePlus(title, stack);
        if (gray != null) {
            out.setLut(gray.lut());
            out.setDisplayRange(gray.min(), gray.max());
        }
        out.setCalibration(imp.getCalibration().copy());
        out.setProperty("Info", info(imp, results, planes, controls));
        // The same as JSON, saved with the image in TIFF files; macros read it with Property.get("imagine_json").
        out.setProp("imagine_json", json(imp, results, planes, controls));
        out.show();
        SynthesisResult last = results.get(results.size() - 1);
        double seconds = results.stream().mapToDouble(r -> r.timings().totalMs()).sum() / 1000.0;
        IJ.showStatus(String.format(Locale.ROOT, "IMAGINE: %s%d sample(s) of class %d (%s) in %.1f s",
                cancelled(results, planes) ? "cancelled, " : "", results.stream().mapToInt(r -> r.samples().size()).sum(),
                last.targetClass(), last.targetLabel(),
                seconds));
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
