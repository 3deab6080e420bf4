package imagine.cli;

import imagine.UserInputException;
import imagine.core.ClassChoice;
import imagine.model.ModelStore;
import imagine.batch.Images;
import imagine.config.ImagineConfig;
import imagine.controls.Controls;
import imagine.controls.Placement;
import imagine.controls.Target;
import imagine.core.Progress;
import imagine.core.ProgressListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Option;

/** What `synthesize` and `batch` (and the Spark job) share: the settings of a run and its output-frame controls. */
public final class SynthesisOptions {

    @Option(names = "--samples", paramLabel = "N", description = "Samples optimized together (default: 1).")
    Integer samples;

    @Option(names = "--size", paramLabel = "S|WxH", description = "Output size (default: 224).")
    String size;

    @Option(names = "--iterations", paramLabel = "N", description = "Iterations (default: from the preset).")
    Integer iterations;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the first sample; sample i uses S+i (default: 0).")
    Long seed;

    @Option(names = "--preset", paramLabel = "P", description = "fast, default or quality (default: ${DEFAULT-VALUE}).")
    String preset = "default";

    @Option(names = "--class", paramLabel = "CLASS", description = "Target class: an index, part of a class name, or none "
            + "(no class term: the reference's feature statistics only, for micrographs and textures no ImageNet class "
            + "fits); default: the reference's top-1, or none when no class fits it (class_fit_share).")
    String targetClass;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any engine setting by name, e.g. "
            + "--set feature_weight=1.0 (repeatable; `imagine settings` lists them all).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--target-box", paramLabel = "x,y,w,h", description = "Position control: put an instance of the object "
            + "in this rectangle of the output (repeatable; output pixels, 0,0 = top left).")
    List<String> targetBoxes = new ArrayList<>();

    @Option(names = "--target-mask", paramLabel = "FILE", description = "Shape control: give the object this silhouette in "
            + "the output (repeatable; same size or aspect ratio as the output).")
    List<Path> targetMasks = new ArrayList<>();

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** The run's settings, validated (nothing is loaded or written before this). */
    public ImagineConfig config(String model) {
        ImagineConfig.Builder b;
        try {
            b = ImagineConfig.preset(ImagineConfig.Preset.parse(preset));
        } catch (UserInputException e) {
            throw new UserInputException("--preset: " + e.getMessage());
        }
        if (size != null) {
            int[] wh = SizeParser.parse(size);
            b.size(wh[0], wh[1]);
        }
        if (samples != null) {
            b.samples(samples);
        }
        if (iterations != null) {
            b.iterations(iterations);
        }
        if (seed != null) {
            b.seed(seed);
        }
        classChoice().applyTo(b);
        b.model(model);
        if (settings.containsKey("model")) {
            // The model is loaded from --model; a setting naming another would be recorded but not used.
            throw new UserInputException("--set model is not an engine setting: choose the model with --model "
                    + "(`imagine doctor` lists the installed ones).");
        }
        settings.forEach(b::set);
        return b.build();
    }

    /** Says what the cleaning of killed runs' leftovers removed, if anything. */
    static void noteCleaned(List<Path> removed, Path dir) {
        if (!removed.isEmpty()) {
            System.err.println("Note: removed " + removed.size() + " leftover file(s) of interrupted run(s) in " + dir + ": "
                    + String.join(", ", removed.stream().map(p -> p.getFileName().toString()).limit(6).toList())
                    + (removed.size() > 6 ? ", ..." : ""));
        }
    }

    /** What --class asks for. */
    public ClassChoice classChoice() {
        if (targetClass != null && targetClass.isBlank()) {
            throw new UserInputException("--class is empty: give a class number, part of a class name, -1 (the reference's "
                    + "class) or none.");
        }
        try {
            return ClassChoice.parse(targetClass, ModelStore.imagenetLabels());
        } catch (UserInputException e) {
            throw new UserInputException("--class: " + e.getMessage());
        }
    }

    /** {@code base} with the output-frame targets added. */
    public Controls withTargets(Controls base) {
        Controls c = base;
        for (String b : targetBoxes) {
            try {
                c = c.withTarget(Target.Box.parse(b));
            } catch (UserInputException e) {
                throw new UserInputException("--target-box: " + e.getMessage());
            }
        }
        for (Path m : targetMasks) {
            c = c.withTarget(new Target.Shape(Images.readMask(m, "--target-mask")));
        }
        return c;
    }

    /** The sidecar's description of a run's inputs (the reference, the preset, the controls as given and resolved). */
    public Map<String, Object> describe(Path reference, Path objectMask, Controls controls, Placement placement) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reference", reference.toAbsolutePath().toString());
        extra.put("preset", preset);
        if (!controls.isEmpty()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("object_mask", objectMask == null ? null : objectMask.toAbsolutePath().toString());
            c.put("target_boxes", targetBoxes);
            c.put("target_masks", targetMasks.stream().map(m -> m.toAbsolutePath().toString()).toList());
            c.put("resolved", controls.describe());
            c.put("warnings", placement.warnings());
            extra.put("controls", c);
        }
        return extra;
    }

    /** A progress bar over {@code total} iterations on stderr, or null with --quiet. */
    ProgressBar bar(long total, String task) {
        if (quiet) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).setMaxRenderedLength(150)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
    }

    /** Progress into the bar, {@code offset} iterations in (a batch's earlier references). */
    static ProgressListener listener(ProgressBar bar, long offset, String prefix) {
        if (bar == null) {
            return ProgressListener.NONE;
        }
        return (Progress p) -> {
            bar.stepTo(offset + p.iteration());
            StringBuilder sb = new StringBuilder(prefix).append(p.stage());
            p.losses().forEach((k, v) -> sb.append(' ').append(k).append('=').append(String.format(Locale.ROOT, "%.3g", v)));
            bar.setExtraMessage(sb.toString());
        };
    }
}
