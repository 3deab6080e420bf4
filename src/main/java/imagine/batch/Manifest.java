package imagine.batch;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code manifest.csv} of a batch: one row per reference, rewritten whole (through a temporary file
 * and an atomic rename) after each reference, so it is never half-written. A re-run reads it to
 * skip the references already done.
 */
public final class Manifest {

    public static final String FILE = "manifest.csv";
    static final String[] HEADER = {"reference", "status", "files", "seeds", "target_class", "p_target", "seconds", "error"};

    /** What became of one reference; files and seeds are separated by spaces. */
    public record Row(String reference, Status status, String files, String seeds, int targetClass, double pTarget,
            double seconds, String error) implements java.io.Serializable {

        static Row failed(String reference, double seconds, String error) {
            return new Row(reference, Status.FAILED, "", "", -1, Double.NaN, seconds, error);
        }
    }

    public enum Status {
        OK, FAILED, CANCELLED;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Path file;
    private final Map<String, Row> rows = new LinkedHashMap<>();

    private Manifest(Path file) {
        this.file = file;
    }

    /** The manifest of {@code outDir}: what an earlier run wrote, or empty. */
    public static Manifest load(Path outDir) {
        Manifest m = new Manifest(outDir.resolve(FILE));
        if (Files.exists(m.file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!imagine.model.ThisUser.owns(m.file)) {
                // Another user's manifest (a shared folder) is theirs: never read into this batch's, never replaced.
                throw new imagine.UserInputException(m.file + " belongs to another user: their batch keeps its manifest "
                        + "there. Choose another --out for this batch.");
            }
            if (!Files.isRegularFile(m.file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new imagine.UserInputException(m.file + " is not a regular file (a link, a pipe or a folder); it "
                        + "stays as it is: rename it, or choose another --out.");
            }
        }
        if (Files.isRegularFile(m.file)) {
            m.read();
        }
        m.seen = key(m.file);
        return m;
    }

    /**
     * The rows of an earlier batch's manifest. A file of that name that is not one (another
     * program's, an empty one) is never taken over: the batch refuses, and the file stays as it is.
     */
    private void read() {
        String notOurs = file + " is not a manifest written by IMAGINE's batch (its first line is not "
                + String.join(",", HEADER) + "); it stays as it is: rename it, or choose another --out.";
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            java.io.BufferedReader lines = new java.io.BufferedReader(r);
            if (!String.join(",", HEADER).equals(lines.readLine())) {
                throw new imagine.UserInputException(notOurs);
            }
            long line = 1;
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader(HEADER).get().parse(lines)) {
                line++;
                try {
                    Row row = new Row(rec.get("reference"), Status.valueOf(rec.get("status").toUpperCase(java.util.Locale.ROOT)),
                            rec.get("files"), rec.get("seeds"), Integer.parseInt(rec.get("target_class")),
                            parse(rec.get("p_target")), parse(rec.get("seconds")), rec.get("error"));
                    rows.put(row.reference(), row);
                } catch (RuntimeException e) {
                    throw new imagine.UserInputException(file + " is damaged at line " + line + ": repair that line or delete "
                            + "the file (a batch re-run uses it to skip the references already done).");
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new imagine.UserInputException("Cannot read " + file + " (" + Writable.reason(e) + "): repair or delete "
                    + "it; a batch re-run uses it to skip the references already done.");
        }
    }

    /** The identity of the file as this batch last saw or wrote it: another program's file in its place is not replaced. */
    private Object seen;

    private static Object key(Path f) {
        try {
            return Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return "absent";
        }
    }

    private static double parse(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /** Whether {@code reference} was finished by an earlier run (its files are there). */
    public boolean done(String reference) {
        Row r = rows.get(reference);
        if (r == null || r.status() != Status.OK) {
            return false;
        }
        Path dir = file.getParent();
        for (String f : r.files().split(" ")) {
            if (!f.isEmpty() && !Files.isRegularFile(dir.resolve(f))) {
                return false;
            }
        }
        return true;
    }

    public Map<String, Row> rows() {
        return rows;
    }

    /** Records a row (replacing the reference's earlier one) and rewrites the file. */
    public synchronized void put(Row row) {
        rows.put(row.reference(), row);
        write();
    }

    /** Records many rows at once (the Spark driver) and rewrites the file. */
    public synchronized void putAll(List<Row> list) {
        list.forEach(r -> rows.put(r.reference(), r));
        write();
    }

    /** The rows in the order of {@code references}, then any others. */
    public List<Row> ordered(List<String> references) {
        List<Row> out = new ArrayList<>();
        for (String ref : references) {
            if (rows.containsKey(ref)) {
                out.add(rows.get(ref));
            }
        }
        rows.values().stream().filter(r -> !references.contains(r.reference())).forEach(out::add);
        return out;
    }

    private void write() {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
            for (Row r : rows.values()) {
                p.printRecord(r.reference(), r.status().key(), r.files(), r.seeds(), r.targetClass(),
                        Double.isNaN(r.pTarget()) ? "" : String.format(java.util.Locale.ROOT, "%.4f", r.pTarget()),
                        String.format(java.util.Locale.ROOT, "%.1f", r.seconds()), r.error());
            }
            byte[] text = w.toString().getBytes(StandardCharsets.UTF_8);
            if (!java.util.Objects.equals(seen, key(file))) {
                // Written meanwhile by someone else (a file appeared, or was put in place of this batch's).
                throw new imagine.UserInputException(file + " was written by another program while this batch ran; it is "
                        + "left as it is. Give this batch a folder of its own.");
            }
            NumberedFiles.replace(file, o -> o.write(text));
            seen = key(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
