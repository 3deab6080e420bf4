package imagine.cli;

import imagine.batch.Claim;
import imagine.batch.Writable;
import imagine.core.StepReport;
import imagine.core.SynthesisListener;
import imagine.image.RgbImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

/**
 * Every {@code every} iterations, each sample as the classifier sees it then (RGB, at the stage's
 * size), written as {@code s<seed>-it<done>.png} into a new folder that carries the run's number:
 * how a run forms, step by step (where a block or a seam first appears, what each stage leaves).
 * The folder is made on the first snapshot, through the run's claim, so a killed run's snapshots
 * are removed with the rest of it and the number stays the run's. A retry of lost samples (its
 * iterations count from 1 again) writes {@code retry1-sample<k>-it<done>.png} there.
 */
final class Snapshots implements SynthesisListener {

    private final int every;
    private final Claim claim;
    private final Path target;
    private final long firstSeed;
    private Path folder;
    private int lastDone;
    /** 0 for the run, then 1, 2, ... for the runs that retry lost samples (their iterations start again). */
    private int retry;

    /** Snapshots into {@code target}, made through the run's {@code claim} when the first is taken. */
    Snapshots(int every, Claim claim, Path target, long firstSeed) {
        this.every = every;
        this.claim = claim;
        this.target = target;
        this.firstSeed = firstSeed;
    }

    @Override
    public void onStep(StepReport report, Supplier<List<RgbImage>> samples) {
        if (report.done() <= lastDone) {
            retry++; // a retry of lost samples: other seeds, fewer samples, same folder
        }
        lastDone = report.done();
        if (report.done() % every != 0 && report.done() != report.totalIterations()) {
            return;
        }
        try {
            if (folder == null) {
                folder = claim.folder(target);
            }
            List<RgbImage> s = samples.get();
            for (int i = 0; i < s.size(); i++) {
                RgbImage sample = s.get(i);
                String who = retry == 0 ? "s" + (firstSeed + i) : "retry" + retry + "-sample" + (i + 1);
                Path f = folder.resolve(String.format(Locale.ROOT, "%s-it%05d.png", who, report.done()));
                claim.write(f, out -> ImageIO.write(sample.toBufferedImage(), "png", out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write snapshots to " + target + ": " + Writable.reason(e), e);
        }
    }

    /** The folder written to, or null when no snapshot was taken. */
    Path folder() {
        return folder;
    }
}
