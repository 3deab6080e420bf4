package imagine.site;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a Fiji update site: {@code db.xml.gz} in the updater's format and every file under its
 * upload name {@code <filename>-<timestamp>}. The site holds the plugin and what Fiji does not
 * already ship: DJL's API, the PyTorch engine and JNI glue (in {@code jars/}) and the libtorch
 * native jars per platform (in {@code jars/<platform>/}). Fiji ships ImageJ, SciJava Common,
 * imglib2, Gson, JNA, Commons Compress and SLF4J. No tool on Maven Central writes update sites,
 * hence this class. Run by {@code mvn package -Pupdate-site}.
 *
 * <p>The native jars are records of their platform and not dependencies of the plugin: the
 * updater installs every dependency whatever its platform (and then treats that platform as
 * active for good), but a platform's own records only where it is active. Given the live site
 * ({@code -Dimagine.site.previous=URL|FOLDER}), every file keeps its history: an unchanged file
 * keeps its version, a changed one lists the earlier versions as {@code <previous-version>} (the
 * updater offers an update only over a version listed there), a file no longer built stays as
 * obsolete, as the updater's own upload writes them.
 *
 * <p>Arguments: {@code OUT PLUGIN_JAR LIB_DIR NATIVES_DIR [PREVIOUS_SITE]}.
 */
public final class UpdateSiteBuilder {

    /** DJL jars by Maven file name; renamed with a djl- prefix ("api.jar" alone would be ambiguous in jars/). */
    static final Pattern DJL_JAR = Pattern.compile("(api|pytorch-engine|pytorch-jni)-([0-9][^/]*)\\.jar");
    /** libtorch for one platform; Maven classifier to Fiji platform name. */
    static final Pattern NATIVE_JAR = Pattern.compile("pytorch-native-cpu-([0-9.]+)-([a-z0-9_-]+)\\.jar");
    static final Map<String, String> PLATFORMS = Map.of("linux-x86_64", "linux64", "win-x86_64", "win64",
            "osx-aarch64", "macos-arm64");

    /** One file of the site. */
    public record Entry(String filename, String platform, Path source, String checksum, long size, String description) {}

    /** A file as this release lists it: its version's timestamp (kept when unchanged) and its earlier versions. */
    record Listed(Entry entry, String timestamp, List<SiteHistory.Version> previous) {}

    private UpdateSiteBuilder() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 6) {
            System.err.println("usage: UpdateSiteBuilder OUT PLUGIN_JAR LIB_DIR NATIVES_DIR [PREVIOUS_SITE] [MODELS_DIR]");
            System.exit(2);
        }
        String timestamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        String previous = args.length >= 5 && args[4] != null ? args[4].trim() : ""; // Maven passes an empty property as null
        String models = args.length == 6 && args[5] != null ? args[5].trim() : "";
        SiteHistory history = previous.isEmpty() ? SiteHistory.empty() : SiteHistory.read(previous);
        if (models.isEmpty()) {
            System.err.println("Note: no models folder given (-Dimagine.models): the site carries no model, and users must "
                    + "install one by hand.");
        }
        List<Listed> listed = build(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), timestamp,
                history, models.isEmpty() ? null : Path.of(models));
        for (Listed l : listed) {
            Entry e = l.entry();
            System.out.printf("%-60s %,12d bytes  %s%s%n", e.filename() + "-" + l.timestamp(), e.size(), e.checksum(),
                    l.timestamp().equals(timestamp) ? (l.previous().isEmpty() ? "  new" : "  changed") : "  unchanged");
        }
    }

    /** A fresh site (no history). */
    public static List<Entry> build(Path out, Path pluginJar, Path lib, Path natives, String timestamp)
            throws IOException, XMLStreamException {
        return build(out, pluginJar, lib, natives, timestamp, SiteHistory.empty()).stream().map(Listed::entry).toList();
    }

    /** A release over {@code history} (the live site's index; empty for a first release), without a model. */
    public static List<Listed> build(Path out, Path pluginJar, Path lib, Path natives, String timestamp,
            SiteHistory history) throws IOException, XMLStreamException {
        return build(out, pluginJar, lib, natives, timestamp, history, null);
    }

    /**
     * A release over {@code history} that carries the default model from {@code models} (a models
     * folder; null for none) into {@code models/imagine/} of the Fiji folder, where the plugin
     * finds it without any setting: a first run right after the update works.
     */
    public static List<Listed> build(Path out, Path pluginJar, Path lib, Path natives, String timestamp,
            SiteHistory history, Path models) throws IOException, XMLStreamException {
        List<Entry> deps = dependencies(lib, natives);
        if (models != null) {
            deps.addAll(modelFiles(models));
        }
        String pluginName = "plugins/" + pluginJar.getFileName();
        Entry plugin = entry(pluginName, null, pluginJar,
                "IMAGINE: new images from one reference image by inverting a frozen ImageNet classifier, "
                        + "with feature statistics matching and a patch discriminator trained on the fly. "
                        + "Plugins>IMAGINE. Needs a model folder (see the README).");
        List<Entry> all = new ArrayList<>();
        all.add(plugin);
        all.addAll(deps);
        List<Listed> listed = new ArrayList<>();
        for (Entry e : all) {
            listed.add(listed(e, history.of(e.filename()), timestamp));
        }
        // Files of the live site this release no longer has: kept as obsolete, with their history.
        List<SiteHistory.Record> removed = new ArrayList<>();
        for (SiteHistory.Record r : history.records().values()) {
            if (all.stream().noneMatch(e -> SiteHistory.baseName(e.filename()).equals(SiteHistory.baseName(r.filename())))) {
                removed.add(r);
            }
        }
        copyFiles(out, listed);
        // Written beside and moved over, so the live index is never half-written.
        Path tmp = out.resolve("db.xml.gz.part");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(tmp))) {
            writeXml(o, listed, removed, timestamp);
        }
        Files.move(tmp, out.resolve("db.xml.gz"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return listed;
    }

    /** DJL's jars of {@code lib} and the libtorch jar of every platform in {@code lib} or {@code natives}. */
    private static List<Entry> dependencies(Path lib, Path natives) throws IOException {
        List<Entry> deps = new ArrayList<>();
        for (Path p : list(lib)) {
            Matcher m = DJL_JAR.matcher(p.getFileName().toString());
            if (m.matches()) {
                deps.add(entry("jars/djl-" + p.getFileName(), null, p, null));
            }
        }
        for (Path dir : List.of(lib, natives)) {
            for (Path p : list(dir)) {
                Matcher m = NATIVE_JAR.matcher(p.getFileName().toString());
                if (m.matches() && PLATFORMS.containsKey(m.group(2))) {
                    String platform = PLATFORMS.get(m.group(2));
                    String name = "jars/" + platform + "/djl-pytorch-native-cpu-" + m.group(1) + ".jar";
                    if (deps.stream().noneMatch(e -> e.filename().equals(name))) {
                        deps.add(entry(name, platform, p, null));
                    }
                }
            }
        }
        if (deps.stream().noneMatch(e -> "linux64".equals(e.platform()))) {
            throw new IOException("No libtorch native jar for linux64 in " + lib + " or " + natives);
        }
        return deps;
    }

    /**
     * The default model's files, checked against the catalog's checksums first: a damaged copy is
     * never published. Its licence (Apache-2.0) allows redistribution.
     */
    private static List<Entry> modelFiles(Path models) throws IOException {
        String id = imagine.model.ModelSpec.DEFAULT_ID;
        List<String> problems = new imagine.model.ModelStore(models).problems(id);
        Path folder = models.resolve(id);
        if (!Files.isRegularFile(folder.resolve("model.json")) || !problems.isEmpty()) {
            throw new IOException("The default model in " + folder + " is missing or damaged " + problems
                    + ": the site would carry a broken model.");
        }
        List<Entry> out = new ArrayList<>();
        for (Path f : list(folder)) {
            String name = f.getFileName().toString();
            if (Files.isRegularFile(f) && !name.startsWith(".")) {
                out.add(entry("models/imagine/" + id + "/" + name, null, f, null));
            }
        }
        return out;
    }

    /** The files under their upload names; what an earlier build of this folder left that this one does not list goes. */
    private static void copyFiles(Path out, List<Listed> listed) throws IOException {
        Files.createDirectories(out);
        java.util.Set<String> keep = new java.util.HashSet<>();
        listed.forEach(l -> keep.add(l.entry().filename() + "-" + l.timestamp()));
        removeEarlierBuild(out, keep);
        for (Listed l : listed) {
            Path target = out.resolve(l.entry().filename() + "-" + l.timestamp());
            Files.createDirectories(target.getParent());
            if (!Files.isRegularFile(target) || Files.size(target) != l.entry().size()) {
                Files.copy(l.entry().source(), target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** How {@code e} is listed over its record on the live site (null: a new file). */
    static Listed listed(Entry e, SiteHistory.Record old, String timestamp) {
        if (old == null) {
            return new Listed(e, timestamp, List.of());
        }
        if (old.current() != null && old.current().checksum().equals(e.checksum()) && old.filename().equals(e.filename())) {
            return new Listed(e, old.current().timestamp(), old.previous()); // unchanged: same version
        }
        List<SiteHistory.Version> previous = new ArrayList<>();
        if (old.current() != null) {
            previous.add(new SiteHistory.Version(old.filename().equals(e.filename()) ? null : old.filename(),
                    old.current().timestamp(), old.current().checksum(), timestamp));
        }
        for (SiteHistory.Version v : old.previous()) {
            // A version recorded under the same name needs no filename; one under another name keeps it.
            String name = v.filename() == null ? (old.filename().equals(e.filename()) ? null : old.filename()) : v.filename();
            previous.add(new SiteHistory.Version(name, v.timestamp(), v.checksum(), v.timestampObsolete()));
        }
        return new Listed(e, timestamp, previous);
    }

    /**
     * Files an earlier build wrote (upload names end in a 14-digit timestamp) that this release does
     * not list, so no stale version lingers to be uploaded; the files of unchanged versions stay.
     */
    static void removeEarlierBuild(Path out, java.util.Set<String> keep) throws IOException {
        List<Path> old;
        try (Stream<Path> s = Files.walk(out)) {
            old = s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().matches(".*-[0-9]{14}")
                    && !keep.contains(out.relativize(p).toString().replace('\\', '/'))).toList();
        }
        for (Path p : old) {
            Files.delete(p);
        }
    }

    private static Entry entry(String filename, String platform, Path source, String description) throws IOException {
        return new Entry(filename, platform, source, UpdaterChecksum.of(filename, source), Files.size(source), description);
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /**
     * The updater's db.xml: its DTD inline, one plugin element per file, the plugin depending on the
     * platform-independent jars; earlier versions as previous-version, removed files without a version.
     */
    static void writeXml(OutputStream o, List<Listed> listed, List<SiteHistory.Record> removed, String timestamp)
            throws XMLStreamException {
        XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(o, "UTF-8");
        w.writeStartDocument("UTF-8", "1.0");
        w.writeCharacters("\n");
        w.writeDTD(DTD);
        w.writeCharacters("\n");
        w.writeStartElement("pluginRecords");
        Listed plugin = listed.get(0);
        for (Listed l : listed) {
            Entry e = l.entry();
            w.writeCharacters("\n    ");
            w.writeStartElement("plugin");
            w.writeAttribute("filename", e.filename());
            if (e.platform() != null) {
                simple(w, "platform", e.platform(), "\n        ");
            }
            w.writeCharacters("\n        ");
            w.writeStartElement("version");
            w.writeAttribute("checksum", e.checksum());
            w.writeAttribute("timestamp", l.timestamp());
            w.writeAttribute("filesize", Long.toString(e.size()));
            if (e.description() != null) {
                simple(w, "description", e.description(), "\n            ");
            }
            if (l == plugin) {
                writeDependencies(w, listed);
            }
            w.writeCharacters("\n        ");
            w.writeEndElement(); // version
            previous(w, l.previous());
            w.writeCharacters("\n    ");
            w.writeEndElement(); // plugin
        }
        for (SiteHistory.Record r : removed) {
            writeRemoved(w, r, timestamp);
        }
        w.writeCharacters("\n");
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndDocument();
        w.close();
    }

    /** The plugin's dependencies (the platform-independent jars) and its author. */
    private static void writeDependencies(XMLStreamWriter w, List<Listed> listed) throws XMLStreamException {
        for (Listed d : listed.subList(1, listed.size())) {
            if (d.entry().platform() == null) {
                w.writeCharacters("\n            ");
                w.writeEmptyElement("dependency");
                w.writeAttribute("filename", d.entry().filename());
                w.writeAttribute("timestamp", d.timestamp());
            }
        }
        simple(w, "author", "IMAGINE for Fiji developers", "\n            ");
    }

    /** A file of the live site this release no longer has: obsolete, with its versions as previous ones. */
    private static void writeRemoved(XMLStreamWriter w, SiteHistory.Record r, String timestamp) throws XMLStreamException {
        w.writeCharacters("\n    ");
        w.writeStartElement("plugin");
        w.writeAttribute("filename", r.filename());
        for (String p : r.platforms()) {
            simple(w, "platform", p, "\n        ");
        }
        List<SiteHistory.Version> previous = new ArrayList<>();
        if (r.current() != null) {
            previous.add(new SiteHistory.Version(null, r.current().timestamp(), r.current().checksum(), timestamp));
        }
        previous.addAll(r.previous());
        previous(w, previous);
        w.writeCharacters("\n    ");
        w.writeEndElement();
    }

    private static void previous(XMLStreamWriter w, List<SiteHistory.Version> versions) throws XMLStreamException {
        for (SiteHistory.Version v : versions) {
            w.writeCharacters("\n        ");
            w.writeEmptyElement("previous-version");
            w.writeAttribute("timestamp", v.timestamp());
            if (v.timestampObsolete() != null && !v.timestampObsolete().isEmpty()) {
                w.writeAttribute("timestamp-obsolete", v.timestampObsolete());
            }
            w.writeAttribute("checksum", v.checksum());
            if (v.filename() != null) {
                w.writeAttribute("filename", v.filename());
            }
        }
    }

    private static void simple(XMLStreamWriter w, String tag, String text, String indent) throws XMLStreamException {
        w.writeCharacters(indent);
        w.writeStartElement(tag);
        w.writeCharacters(text);
        w.writeEndElement();
    }

    /** The document type the updater writes and validates against. */
    static final String DTD = "<!DOCTYPE pluginRecords [\n"
            + "<!ELEMENT pluginRecords ((update-site | disabled-update-site)*, plugin*)>\n"
            + "<!ELEMENT update-site EMPTY>\n"
            + "<!ELEMENT disabled-update-site EMPTY>\n"
            + "<!ELEMENT plugin (platform*, category*, version?, previous-version*)>\n"
            + "<!ELEMENT version (description?, dependency*, link*, author*)>\n"
            + "<!ELEMENT previous-version EMPTY>\n"
            + "<!ELEMENT description (#PCDATA)>\n"
            + "<!ELEMENT dependency EMPTY>\n"
            + "<!ELEMENT link (#PCDATA)>\n"
            + "<!ELEMENT author (#PCDATA)>\n"
            + "<!ELEMENT platform (#PCDATA)>\n"
            + "<!ELEMENT category (#PCDATA)>\n"
            + "<!ATTLIST update-site name CDATA #REQUIRED>\n"
            + "<!ATTLIST update-site url CDATA #REQUIRED>\n"
            + "<!ATTLIST update-site ssh-host CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site upload-directory CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site description CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site maintainer CDATA #IMPLIED>\n"
            + "<!ATTLIST update-site timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site name CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site url CDATA #REQUIRED>\n"
            + "<!ATTLIST disabled-update-site ssh-host CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site upload-directory CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site description CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site maintainer CDATA #IMPLIED>\n"
            + "<!ATTLIST disabled-update-site timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST plugin update-site CDATA #IMPLIED>\n"
            + "<!ATTLIST plugin filename CDATA #REQUIRED>\n"
            + "<!ATTLIST plugin executable CDATA #IMPLIED>\n"
            + "<!ATTLIST dependency filename CDATA #REQUIRED>\n"
            + "<!ATTLIST dependency timestamp CDATA #IMPLIED>\n"
            + "<!ATTLIST dependency overrides CDATA #IMPLIED>\n"
            + "<!ATTLIST version timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST version checksum CDATA #REQUIRED>\n"
            + "<!ATTLIST version filesize CDATA #REQUIRED>\n"
            + "<!ATTLIST previous-version filename CDATA #IMPLIED>\n"
            + "<!ATTLIST previous-version timestamp CDATA #REQUIRED>\n"
            + "<!ATTLIST previous-version timestamp-obsolete CDATA #IMPLIED>\n"
            + "<!ATTLIST previous-version checksum CDATA #REQUIRED>]>";
}
