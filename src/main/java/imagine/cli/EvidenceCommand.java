package imagine.cli;

import imagine.batch.Writable;
import imagine.UserInputException;
import imagine.batch.Images;
import imagine.controls.Controls;
import imagine.controls.Placement;
import imagine.controls.Target;
import imagine.eval.EvidenceMap;
import imagine.image.Mask;
import imagine.image.RgbImage;
import imagine.model.Backbone;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where an image shows a class: the sliding-window evidence map, and how well it agrees with
 * target boxes or masks (to check position and shape control on any output).
 */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = "Map where an image shows a class (sliding windows) and compare it with targets.")
final class EvidenceCommand implements Callable<Integer> {

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The image to inspect.")
    Path image;

    @Option(names = "--class", required = true, split = ",", paramLabel = "INDEX[,INDEX...]", description = "The class to "
            + "look for; several classes count together (their probabilities are summed).")
    int[] cls;

    @Option(names = "--target-box", paramLabel = "x,y,w,h", description = "A target rectangle (repeatable).")
    List<String> boxes = new ArrayList<>();

    @Option(names = "--target-mask", paramLabel = "FILE", description = "A target silhouette (repeatable).")
    List<Path> masks = new ArrayList<>();

    @Option(names = "--window", paramLabel = "PX", description = "Window side (default: half the smaller image side).")
    Integer window;

    @Option(names = "--stride", paramLabel = "PX", description = "Window step (default: an eighth of the window).")
    Integer stride;

    @Option(names = "--threshold", paramLabel = "F", description = "Evidence counted as present at this fraction of the "
            + "map's maximum (default: ${DEFAULT-VALUE}).")
    double threshold = 0.5;

    @Option(names = "--map", paramLabel = "FILE", description = "Write the evidence map as a gray PNG (never overwrites).")
    Path mapFile;

    @Mixin
    Main.Common common = new Main.Common();

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    /** About 100 s of network passes on a 2-core CPU (about 40 windows a second at 224 px). */
    static final long MAX_WINDOWS = 4096;

    /** How many windows of side {@code win} at step {@code step} cover a w x h image. */
    static long windows(int w, int h, int win, int step) {
        return ((long) Math.max(0, w - win) / step + 1) * ((long) Math.max(0, h - win) / step + 1);
    }

    @Override
    public Integer call() {
        RgbImage img = Images.read(image);
        int win = window != null ? window : Math.max(16, Math.min(img.width(), img.height()) / 2);
        int step = stride != null ? stride : Math.max(1, win / 8);
        checkOptions(img, win, step);
        if (mapFile != null) {
            Writable.newFile(mapFile, "--map");
        }
        Controls c = targets();
        Placement p = c.resolve(img.width(), img.height(), img.width(), img.height());
        try (Backbone b = modelOptions.load(); var threadScope = modelOptions.threadScope()) {
            List<String> names = classNames(b);
            float[] map = EvidenceMap.of(b, img, cls, win, step);
            System.out.printf(Locale.ROOT, "class %s, window %d, stride %d%n", String.join(" + ", names), win, step);
            printBoxes(b, img, c);
            if (p.controlled()) {
                EvidenceMap.Agreement a = EvidenceMap.agreement(map, p.targetUnion(), threshold);
                System.out.printf(Locale.ROOT, "targets: IoU %.3f, mean evidence inside %.3f, outside %s%n", a.iou(),
                        a.meanInside(), Double.isNaN(a.meanOutside()) ? "none (the targets cover the image)"
                                : String.format(Locale.ROOT, "%.3f", a.meanOutside()));
            }
            if (mapFile != null) {
                write(map, img.width(), img.height(), mapFile);
                System.out.println("Wrote " + mapFile);
            }
        }
        return 0;
    }

    /** Every option checked against the image before the model loads. */
    private void checkOptions(RgbImage img, int win, int step) {
        if (win < 8) {
            throw new UserInputException("--window must be at least 8 px, got " + win + ".");
        }
        if (win > Math.min(img.width(), img.height())) {
            // A window larger than the image sees all of it everywhere: its map is flat and its overlap meaningless.
            throw new UserInputException("--window " + win + " is larger than the " + img.width() + "x" + img.height()
                    + " image; give at most its shorter side, " + Math.min(img.width(), img.height()) + " px.");
        }
        if (step < 1) {
            throw new UserInputException("--stride must be at least 1 px, got " + step + ".");
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new UserInputException("--threshold must lie strictly between 0 and 1, got " + threshold + ".");
        }
        if (cls == null || cls.length == 0) {
            throw new UserInputException("--class names no class; give one index or several, e.g. --class 281,282,285.");
        }
        if (java.util.Arrays.stream(cls).distinct().count() != cls.length) {
            throw new UserInputException("--class lists a class twice (their probabilities are summed); name each once.");
        }
        if (mapFile != null && !mapFile.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new UserInputException("--map " + mapFile + ": the map is written as a PNG; give a name ending in .png.");
        }
        long windows = windows(img.width(), img.height(), win, step);
        if (windows > MAX_WINDOWS) {
            int enough = step;
            while (windows(img.width(), img.height(), win, enough) > MAX_WINDOWS) {
                enough++;
            }
            throw new UserInputException("--window " + win + " --stride " + step + " on a " + img.width() + "x" + img.height()
                    + " image means " + windows + " windows, one network pass each (about " + windows / 40 / 60
                    + " min on a 2-core CPU); at most " + MAX_WINDOWS + " are allowed: use --stride " + enough
                    + " or more, or a larger --window.");
        }
    }

    private Controls targets() {
        Controls c = Controls.none();
        try {
            for (String b : boxes) {
                c = c.withTarget(Target.Box.parse(b));
            }
        } catch (UserInputException e) {
            throw new UserInputException("--target-box: " + e.getMessage());
        }
        for (Path m : masks) {
            c = c.withTarget(new Target.Shape(Images.readMask(m, "--target-mask")));
        }
        return c;
    }

    /** "285 (Egyptian cat)" for each class asked, which must exist in the model. */
    private List<String> classNames(Backbone b) {
        List<String> names = new ArrayList<>();
        for (int k : cls) {
            if (k < 0 || k >= b.labels().size()) {
                throw new UserInputException("--class " + k + " does not exist; model " + b.id() + " has classes 0 to "
                        + (b.labels().size() - 1) + ".");
            }
            names.add(k + " (" + b.labels().get(k) + ")");
        }
        return names;
    }

    /** p(class) with only each target box visible. */
    private void printBoxes(Backbone b, RgbImage img, Controls c) {
        for (Target t : c.targets()) {
            if (!(t instanceof Target.Box box)) {
                continue;
            }
            int x = Math.max(0, box.x());
            int y = Math.max(0, box.y());
            int w = Math.min(img.width(), box.x() + box.width()) - x;
            int h = Math.min(img.height(), box.y() + box.height()) - y;
            System.out.printf(Locale.ROOT, "box %s: p(class) on the box = %.3f%n", box, EvidenceMap.inBox(b, img, cls, x, y, w, h));
        }
    }

    private static void write(float[] map, int w, int h, Path file) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = ((java.awt.image.DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < map.length; i++) {
            px[i] = (byte) Math.max(0, Math.min(255, Math.round(map[i] * 255)));
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (var os = Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE_NEW)) {
                ImageIO.write(out, "png", os);
            }
        } catch (IOException e) {
            throw new UserInputException("Cannot write " + file + ": " + e.getMessage());
        }
    }
}
