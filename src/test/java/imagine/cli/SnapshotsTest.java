package imagine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import imagine.core.StepReport;
import imagine.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot names when a run retries lost samples: its iterations count again and must not collide. */
class SnapshotsTest {

    static StepReport step(int done, int total) {
        return new StepReport(null, done - 1, total, true, null, 0, null);
    }

    @Test
    void aRetryWritesBesideTheRunUnderOtherNames(@TempDir Path dir) throws Exception {
        imagine.batch.RunWriter.Slot slot = imagine.batch.RunWriter.reserve(dir, "ref", new long[] {10, 11}, null);
        Snapshots s = new Snapshots(2, slot.claim(), slot.snapshotsFolder(), 10);
        List<RgbImage> two = List.of(new RgbImage(4, 3, new float[36]), new RgbImage(4, 3, new float[36]));
        List<RgbImage> one = List.of(new RgbImage(4, 3, new float[36]));
        for (int done = 1; done <= 3; done++) {
            s.onStep(step(done, 3), () -> two);
        }
        for (int done = 1; done <= 3; done++) {
            s.onStep(step(done, 3), () -> one); // the retry of one lost sample
        }
        try (Stream<Path> f = Files.list(dir.resolve("ref-snapshots-001"))) {
            assertEquals(List.of("retry1-sample1-it00002.png", "retry1-sample1-it00003.png", "s10-it00002.png", "s10-it00003.png",
                    "s11-it00002.png", "s11-it00003.png"), f.map(p -> p.getFileName().toString()).sorted().toList());
        }
        slot.close();
    }
}
