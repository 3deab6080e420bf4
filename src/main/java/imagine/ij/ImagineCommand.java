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
import imagine.core.ClassChoice;
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
import java.util.Map;

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
    Controls readControls(Form.Values values, ImagePlus imp, Controls withObject, int outW, int outH) {
        return withObject;
    }

    /** What the Log says about where the targets came from and how they were mapped, or null. */
    String targetsNote(Form.Values values, ImagePlus imp, Controls controls, int outW, int outH) {
        return null;
    }

    /** Why this command cannot run on {@code imp} at all (before the form is filled in), or null. */
    String missingControls(ImagePlus imp) {
        return null;
    }

    /** What marks the object on the reference, as the dialog says it (the controls agree). */
    String objectNote(ImagePlus imp) {
        return imp.getRoi() != null && imp.getRoi().isArea() ? "its selection marks the object."
                : "the whole reference is the object.";
    }

    /** What the dialog asked for, read in field order. */
    private record Choices(int samples, int width, int height, int iterations, long seed, String preset, String model,
            String targetClass, String folder, String settings, boolean allSlices, boolean preview) {}

    /** A job read from the dialog and checked, ready to run. */
    private record Job(Choices choices, ImagineConfig cfg, Controls controls, Placement placement, String targetsNote) {}

    /**
     * The dialog, field by field; its keys are this command's macro keys (stable: renaming one
     * breaks users' macros, so a label's first word stays the key). {@code imp} may be null for a
     * dry form, {@code classes} null when the reference's classes are not known.
     */
    final Form form(Form form, ImagePlus imp, ClassSuggestions classes) {
        if (imp != null) {
            form.message("Reference: " + imp.getTitle() + " (" + imp.getWidth() + "x" + imp.getHeight()
                    + ", current plane as displayed); " + objectNote(imp));
        }
        String folder = Prefs.get(PREF + "models_folder",
                ModelStore.configuredFolder().map(Path::toString).orElse(ModelStore.defaultFolder().toString()));
        // A macro may name any known model (a missing one gets the install message); the dialog offers installed ones.
        List<String> installed = installedModels(folder);
        boolean listAll = ij.Macro.getOptions() != null || installed.isEmpty();
        String[] models = (listAll ? ModelSpec.known().stream().map(ModelSpec::id).toList() : installed)
                .toArray(String[]::new);
        int samples = (int) Prefs.get(PREF + "samples", 1);
        // 0: the reference's own size, so the samples keep its scale (and its calibration stays true).
        int width = (int) Prefs.get(PREF + "width", 0);
        int height = (int) Prefs.get(PREF + "height", 0);
        int[] size = imp == null ? new int[] {224, 224} : outputSize(width, height, imp);
        String model = Prefs.get(PREF + "model", ModelSpec.DEFAULT_ID);
        form.number("Samples", samples, 0, "images to make")
                .number("Width", width, 0, "px (0 = the reference's, at its scale)")
                .number("Height", height, 0, "px (0 = the reference's)")
                .choice("Preset", new String[] {"fast", "default", "quality"}, Prefs.get(PREF + "preset", "default"))
                .message(PresetTimes.note(samples, size[0], size[1], model))
                .choice("Model", models, model);
        if (installed.isEmpty()) {
            form.message("No model is installed in the models folder below: Help says how to install one.");
        }
        if (classes != null) {
            form.message(classes.note());
        }
        // -1 even where no class fits: the engine then leaves the class term off itself (class_fit_share,
        // which the Settings field may change), so the dialog and a recorded macro decide alike.
        form.text("Class", ClassChoice.REFERENCE.key(), 16);
        if (classes != null && form.dialog() != null) {
            classes.addTo(form.dialog());
        } else if (imp != null) {
            form.message("Class: -1 = the reference's class, a class number or name, or none (the reference's look only).");
        }
        // Shown at once when the dialog comes back with what was typed (a typo may be in there).
        form.moreStart()
                .number("Iterations", 0, 0, "0 = as the preset says")
                .number("Seed", 0, 0, "sample i uses seed + i")
                .folder("Models_folder", folder, 24)
                .text("Settings", "", 24) // expert key=value pairs; Help lists them
                .flag("All_slices", "each plane of the stack in turn", false)
                .flag("Preview", "live window", Prefs.get(PREF + "preview", false))
                .moreEnd(form.hasTyped());
        addControlFields(form, imp);
        return form;
    }

    /**
     * The reference's calibration as the samples' pixels really are: a reference shown rescaled
     * (another output size, position control) gives samples whose pixels cover more or less of the
     * specimen, and their pixel size says so; the Log says by how much.
     */
    private static ij.measure.Calibration sampleCalibration(ImagePlus imp, Job job) {
        ij.measure.Calibration cal = imp.getCalibration().copy();
        double f = imagine.core.SampleScale.of(imp.getWidth(), imp.getHeight(), job.placement(), job.cfg().output().width(),
                job.cfg().output().height());
        if (Math.abs(f - 1) > 1e-3) {
            cal.pixelWidth /= f;
            cal.pixelHeight /= f;
            if (cal.scaled()) {
                IJ.log(String.format(Locale.ROOT, "IMAGINE: the samples show %s at %.3g times its scale: their pixels are "
                        + "%.4g x %.4g %s (the reference's %.4g x %.4g); Width and Height 0 keep the reference's scale.",
                        imp.getTitle(), f, cal.pixelWidth, cal.pixelHeight, cal.getUnits(), cal.pixelWidth * f,
                        cal.pixelHeight * f));
            }
        }
        return cal;
    }

    /** The catalog's models whose files are in {@code folder}. */
    private static List<String> installedModels(String folder) {
        try {
            ModelStore store = new ModelStore(Path.of(folder));
            return ModelSpec.known().stream().map(ModelSpec::id).filter(store::isInstalled).toList();
        } catch (RuntimeException e) {
            return List.of(); // an unusable folder text: nothing is installed there
        }
    }

    /** This command's macro keys, from a dry form. */
    final List<String> keys() {
        return form(Form.dry(), null, null).keys();
    }

    @Override
    public void run(String arg) {
        Messages.reporting(this::runCommand);
    }

    private void runCommand() {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            Messages.error("Open a reference image first, then run " + title() + ".");
            return;
        }
        String unknown = MacroKeys.unknown(ij.Macro.getOptions(), keys());
        if (unknown != null) {
            Messages.error(unknown);
            return;
        }
        String missing = missingControls(imp);
        if (missing != null) {
            Messages.error(missing);
            return;
        }
        boolean macro = ij.Macro.getOptions() != null;
        ClassSuggestions classes = macro ? null : ClassSuggestions.of(imp, Prefs.get(PREF + "model", ModelSpec.DEFAULT_ID),
                modelsFolderPref());
        Map<String, String> typed = Map.of();
        while (true) {
            GenericDialog gd = new GenericDialog(title());
            Form form = form(Form.of(gd, typed), imp, classes);
            gd.addHelp(HelpPage.html(title()));
            gd.showDialog();
            if (gd.wasCanceled()) {
                return;
            }
            Job job;
            try {
                job = prepare(form.read(), imp);
            } catch (UserInputException e) {
                // With the Recorder open, a second dialog would record its keys a second time after the first's.
                if (macro || ij.plugin.frame.Recorder.record) {
                    Messages.error(e.getMessage());
                    return;
                }
                // The dialog comes back with what was typed, so a typo costs one correction, not the whole form.
                typed = form.snapshot();
                Messages.error(e.getMessage());
                continue;
            }
            execute(imp, job);
            return;
        }
    }

    private static Path modelsFolderPref() {
        String f = Prefs.get(PREF + "models_folder", "");
        return f.isBlank() ? null : Path.of(f);
    }

    /** Reads and checks everything the dialog asked for; nothing runs yet. */
    private Job prepare(Form.Values values, ImagePlus imp) {
        Choices c = read(values);
        int[] size = outputSize(c.width(), c.height(), imp);
        ImagineConfig cfg = config(c, size[0], size[1]);
        Mask m = RoiMasks.objectMask(imp);
        Controls object = m == null ? Controls.none() : Controls.none().withObjectMask(m);
        Controls controls = readControls(values, imp, object, cfg.output().width(), cfg.output().height());
        Placement p = controls.resolve(imp.getWidth(), imp.getHeight(), cfg.output().width(), cfg.output().height());
        return new Job(c, cfg, controls, p, targetsNote(values, imp, controls, cfg.output().width(), cfg.output().height()));
    }

    private void execute(ImagePlus imp, Job job) {
        Choices c = job.choices();
        try {
            job.placement().warnings().forEach(w -> IJ.log("IMAGINE: " + w));
            if (job.targetsNote() != null) {
                IJ.log("IMAGINE: " + job.targetsNote());
            }
            boolean isStack = imp.getNSlices() * imp.getNFrames() > 1;
            List<ImageConversion.Plane> planes = c.allSlices() && isStack ? ImageConversion.planes(imp)
                    : List.of(ImageConversion.current(imp));
            // How samples go back to the reference's kind, read before the run: the user may change the
            // display while it runs.
            Output kind = new Output(GrayMapping.of(imp), CompositeMapping.of(imp));
            long nan = GrayMapping.notFinite(imp);
            if (nan > 0) {
                IJ.log("IMAGINE: " + imp.getTitle() + ": " + nan + " pixel(s) hold NaN or infinite values; they are read as "
                        + "the display range's minimum (Process > Math > Remove NaNs... to choose what they become).");
            }
            String blended = CompositeMapping.whyBlended(imp);
            if (blended != null) {
                IJ.log("IMAGINE: " + blended);
            } else if (kind.composite() != null && kind.composite().indices().size() < imp.getNChannels()) {
                IJ.log("IMAGINE: " + imp.getTitle() + ": the samples hold the channels shown, " + kind.composite().indices()
                        + " of its " + imp.getNChannels() + " (switched on in Image > Color > Channels Tool).");
            }
            String title = ResultWindows.title(imp);
            List<SynthesisResult> results = synthesize(imp, planes, job.controls(), job.cfg(), c, title);
            show(imp, planes, job, results, kind, title);
            if (!cancelled(results, planes)) {
                // Remembered only after a run that worked: a failed or mistyped call must not change the defaults.
                remember(c);
                // The runs' own time: not the model's loading, a wait for other jobs or the result window.
                PresetTimes.measured(job.cfg(), results.size(),
                        results.stream().mapToDouble(r -> r.timings().totalMs()).sum() / 1000.0);
            }
        } catch (UserInputException | SynthesisDivergedException e) {
            Messages.error(e.getMessage());
        } catch (RuntimeException e) {
            Messages.failure(e);
        }
    }

    private static Choices read(Form.Values v) {
        return new Choices((int) v.number("samples"), (int) v.number("width"), (int) v.number("height"),
                (int) v.number("iterations"), (long) v.number("seed"), v.choice("preset"), v.choice("model"),
                v.text("class"), v.text("models_folder"), v.text("settings"), v.flag("all_slices"), v.flag("preview"));
    }

    /**
     * The output size asked for, with 0 meaning the reference's own (kept within the engine's limits
     * by scaling both sides alike, so its aspect ratio stays).
     */
    static int[] outputSize(int width, int height, ImagePlus imp) {
        if (width != 0 && height != 0) {
            return new int[] {width, height};
        }
        int w = width != 0 ? width : imp.getWidth();
        int h = height != 0 ? height : imp.getHeight();
        int max = (int) ImagineConfig.setting("width").max();
        int min = (int) ImagineConfig.setting("width").min();
        double f = Math.min(1, (double) max / Math.max(w, h));
        f = Math.max(f, (double) min / Math.min(w, h));
        return new int[] {(int) Math.max(min, Math.min(max, Math.round(w * f))), (int) Math.max(min, Math.min(max,
                Math.round(h * f)))};
    }

    private static ImagineConfig config(Choices c, int width, int height) {
        ImagineConfig.Builder b = ImagineConfig.preset(ImagineConfig.Preset.parse(c.preset())).size(width, height)
                .samples(c.samples()).seed(c.seed()).model(c.model());
        ClassChoice.parse(c.targetClass(), ModelStore.imagenetLabels()).applyTo(b);
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
            ImagineConfig cfg, Choices c, String title) {
        List<SynthesisResult> results = new ArrayList<>();
        try (PreviewWindow live = c.preview() && PreviewWindow.canShow()
                ? new PreviewWindow(title.replaceFirst("^IMAGINE ", "IMAGINE preview of "), cfg.output().width(),
                        cfg.output().height(), imp)
                : null) {
            IJ.showStatus("IMAGINE: starting (the model loads once per Fiji start)...");
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

    /** The reference's gray or composite mapping, taken when the run started (either or both null). */
    private record Output(GrayMapping gray, CompositeMapping composite) {}

    /** The samples as a new stack beside the reference, with the targets as overlay, Info and JSON. */
    private static void show(ImagePlus imp, List<ImageConversion.Plane> planes, Job job, List<SynthesisResult> results,
            Output kind, String title) {
        ImagineConfig cfg = job.cfg();
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
        out.setCalibration(sampleCalibration(imp, job));
        out.setProperty("Info", info(imp, results, planes, job.controls()));
        // The same as JSON, saved with the image in TIFF files; macros read it with Property.get("imagine_json").
        out.setProp("imagine_json", json(imp, results, planes, job.controls()));
        ResultWindows.overlayTargets(out, job.placement());
        out.show();
        ResultWindows.placeBeside(out, imp);
        SynthesisResult last = results.get(results.size() - 1);
        double seconds = results.stream().mapToDouble(r -> r.timings().totalMs()).sum() / 1000.0;
        boolean classTerm = last.config().weights().classWeight() != 0;
        // One line for a stack whatever its plane count; the first plane without a fitting class speaks for them.
        List<SynthesisResult> unfit = results.stream().filter(r -> r.classFit() != null && !r.classFit().fits()).toList();
        if (!unfit.isEmpty()) {
            IJ.log("IMAGINE: " + imp.getTitle() + ": " + (results.size() > 1 ? "on " + unfit.size() + " of " + results.size()
                    + " planes (figures of the first), " : "") + unfit.get(0).classFit().note() + " (class=NAME or a number).");
        }
        IJ.showStatus(String.format(Locale.ROOT, "IMAGINE: %s%d sample(s) %s in %.1f s",
                cancelled(results, planes) ? "cancelled, " : "", results.stream().mapToInt(r -> r.samples().size()).sum(),
                classTerm ? String.format(Locale.ROOT, "of class %d (%s)", last.targetClass(), last.targetLabel())
                        : "in the reference's look (no class term)",
                seconds));
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
        sb.append("target_class = ").append(r.targetClass()).append(" (").append(r.targetLabel()).append(")")
                .append(r.config().weights().classWeight() == 0 ? ", class term off: the reference's look only" : "")
                .append('\n');
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
                        .append(String.format(Locale.ROOT, " p(target)=%.3f", rk.targetProbabilities()[i])).append('\n');
            }
        }
        // The target class is stated once above (resolved), not again as the setting's -1.
        r.config().toMap().forEach((k, v) -> {
            if (!k.equals("target_class")) {
                sb.append(k).append(" = ").append(rounded(v)).append('\n');
            }
        });
        r.finalLosses().forEach((k, v) -> sb.append("loss_").append(k).append(" = ").append(rounded(v)).append('\n'));
        return sb.toString();
    }

    /** Numbers to four significant digits (Info is read by people; the JSON property keeps full precision). */
    static String rounded(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return Double.toString(d);
            }
            if (d == Math.rint(d) && Math.abs(d) < 1e9) {
                return Long.toString((long) d);
            }
            return new java.math.BigDecimal(d).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        }
        if (v instanceof List<?> list) {
            return String.join(",", list.stream().map(ImagineCommand::rounded).toList());
        }
        return String.valueOf(v);
    }
}
