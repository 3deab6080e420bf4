package imagine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import imagine.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report: its tables carry the artifact measures and the largest evidence region's share, per method and per sample; bad input leaves no half report. */
class ReportCommandTest {

    @Test
    void tablesCarryTheArtifactMeasures(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.copy(TestModels.image("chelsea.png"), images.resolve("chelsea.png"));
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("report", "--images", images.toString(), "--out", out.toString(), "--samples", "2",
                "--iterations", "3", "--size", "48", "--preset", "fast", "--methods", "full", "--models-dir",
                TestModels.modelsDir().toString());
        assertEquals(0, r.code(), r.err());
        Path report = out.resolve("report-001");
        List<String> csv = Files.readAllLines(report.resolve("report.csv"));
        assertTrue(csv.get(0).contains("straight_edges,worst_band_grain,off_palette,largest_region"), csv.get(0));
        List<String> perSample = Files.readAllLines(report.resolve("artifacts.csv"));
        assertEquals(3, perSample.size(), "a header and one row per sample: " + perSample);
        assertTrue(perSample.get(1).startsWith("chelsea,full,0,"), perSample.get(1));
        String[] cells = perSample.get(1).split(",");
        double region = Double.parseDouble(cells[cells.length - 1]);
        assertTrue(Double.isNaN(region) || region > 0 && region <= 1, "a share of the evidence: " + perSample.get(1));
        assertTrue(Files.readString(report.resolve("report.md")).contains("| edges | grain | off-palette | one region |"));
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("report-001"), s.map(p -> p.getFileName().toString()).toList(), "no claim left");
        }
    }

    @Test
    void anUnreadableImageStopsTheReportBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.copy(TestModels.image("chelsea.png"), images.resolve("a.png"));
        Files.writeString(images.resolve("b.png"), "not a png");
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("report", "--images", images.toString(), "--out", out.toString(), "--samples", "2",
                "--iterations", "3", "--size", "48", "--models-dir", TestModels.modelsDir().toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("b.png"), r.err());
        assertFalse(Files.exists(out), "no report folder: " + r.err());
    }
}
