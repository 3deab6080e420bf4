package imagine.cli;

import imagine.batch.Claim;
import imagine.batch.NumberedFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The bench as files: a CSV table and a log-log plot of time per iteration over pixel count. */
final class BenchReport {

    private BenchReport() {}

    static List<Path> write(Path dir, List<BenchCommand.Row> rows, String device, String preset, double heapMiB,
            double rssMiB) {
        // The plot is written last: once it is in place the bench's files are whole.
        try (Claim claim = NumberedFiles.claim(dir, k -> List.of(
                dir.resolve(String.format("bench-%03d.png", k)), dir.resolve(String.format("bench-%03d.csv", k))))) {
            int n = claim.number();
            Path csv = dir.resolve(String.format("bench-%03d.csv", n));
            Path png = dir.resolve(String.format("bench-%03d.png", n));
            StringBuilder sb = new StringBuilder("device,size,samples,ms_per_iter,fwd_bwd_ms,discriminator_ms,rest_ms,rss_mib,"
                    + "admission_est_mib,preset_" + preset + "_est_s,peak_heap_mib,peak_rss_mib\n");
            for (BenchCommand.Row r : rows) {
                sb.append(String.format(Locale.ROOT, "%s,%d,%d,%.2f,%.2f,%.2f,%.2f,%.0f,%.0f,%.1f,%.0f,%.0f%n", device,
                        r.size(), r.samples(), r.msPerIteration(), r.forwardBackward(), r.discriminator(), r.rest(),
                        r.rssMiB(), r.admissionMiB(),
                        r.estimateSeconds(), heapMiB, rssMiB));
            }
            claim.write(csv, o -> o.write(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            XYChart chart = chart(rows, device, preset);
            claim.write(png, o -> BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG));
            return List.of(csv, png);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the bench files to " + dir + ": " + e.getMessage(), e);
        }
    }

    static XYChart chart(List<BenchCommand.Row> rows, String device, String preset) {
        XYChart chart = new XYChartBuilder().width(800).height(560)
                .title("IMAGINE: time per iteration (" + preset + " preset, " + device + ")")
                .xAxisTitle("pixels per sample").yAxisTitle("ms per iteration").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        for (int n : new TreeSet<>(rows.stream().map(BenchCommand.Row::samples).toList())) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (BenchCommand.Row r : rows) {
                if (r.samples() == n) {
                    x.add((double) r.size() * r.size());
                    y.add(r.msPerIteration());
                }
            }
            XYSeries s = chart.addSeries(n + (n == 1 ? " sample" : " samples"), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            if (n == rows.get(0).samples() && x.size() > 1) {
                // Linear in pixels through the smallest size: the target is to stay at or below it.
                List<Double> lin = new ArrayList<>();
                for (double px : x) {
                    lin.add(y.get(0) * px / x.get(0));
                }
                XYSeries l = chart.addSeries("linear in pixels", x, lin);
                l.setMarker(SeriesMarkers.NONE);
                l.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            }
        }
        return chart;
    }
}
