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
 * <p>Arguments: {@code OUT PLUGIN_JAR LIB_DIR NATIVES_DIR}.
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

    private UpdateSiteBuilder() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: UpdateSiteBuilder OUT PLUGIN_JAR LIB_DIR NATIVES_DIR");
            System.exit(2);
        }
        String timestamp = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        List<Entry> entries = build(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), timestamp);
        for (Entry e : entries) {
            System.out.printf("%-60s %,12d bytes  %s%n", e.filename() + "-" + timestamp, e.size(), e.checksum());
        }
    }

    public static List<Entry> build(Path out, Path pluginJar, Path lib, Path natives, String timestamp)
            throws IOException, XMLStreamException {
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
        String pluginName = "plugins/" + pluginJar.getFileName();
        Entry plugin = entry(pluginName, null, pluginJar,
                "IMAGINE: new images from one reference image by inverting a frozen ImageNet classifier, "
                        + "with feature statistics matching and a patch discriminator trained on the fly. "
                        + "Plugins>IMAGINE. Needs a model folder (see the README).");
        List<Entry> all = new ArrayList<>();
        all.add(plugin);
        all.addAll(deps);
        Files.createDirectories(out);
        removeEarlierBuild(out);
        for (Entry e : all) {
            Path target = out.resolve(e.filename() + "-" + timestamp);
            Files.createDirectories(target.getParent());
            Files.copy(e.source(), target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out.resolve("db.xml.gz")))) {
            writeXml(o, plugin, deps, timestamp);
        }
        return all;
    }

    /** Files an earlier run wrote (upload names end in a 14-digit timestamp), so no stale version lingers. */
    static void removeEarlierBuild(Path out) throws IOException {
        List<Path> old;
        try (Stream<Path> s = Files.walk(out)) {
            old = s.filter(p -> Files.isRegularFile(p) && (p.getFileName().toString().matches(".*-[0-9]{14}")
                    || p.getFileName().toString().equals("db.xml.gz"))).toList();
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

    /** The updater's db.xml: its DTD inline, one plugin element per file, the plugin depending on the rest. */
    static void writeXml(OutputStream o, Entry plugin, List<Entry> deps, String timestamp) throws XMLStreamException {
        XMLStreamWriter w = XMLOutputFactory.newInstance().createXMLStreamWriter(o, "UTF-8");
        w.writeStartDocument("UTF-8", "1.0");
        w.writeCharacters("\n");
        w.writeDTD(DTD);
        w.writeCharacters("\n");
        w.writeStartElement("pluginRecords");
        List<Entry> all = new ArrayList<>();
        all.add(plugin);
        all.addAll(deps);
        for (Entry e : all) {
            w.writeCharacters("\n    ");
            w.writeStartElement("plugin");
            w.writeAttribute("filename", e.filename());
            if (e.platform() != null) {
                w.writeCharacters("\n        ");
                w.writeStartElement("platform");
                w.writeCharacters(e.platform());
                w.writeEndElement();
            }
            w.writeCharacters("\n        ");
            w.writeStartElement("version");
            w.writeAttribute("checksum", e.checksum());
            w.writeAttribute("timestamp", timestamp);
            w.writeAttribute("filesize", Long.toString(e.size()));
            if (e.description() != null) {
                w.writeCharacters("\n            ");
                w.writeStartElement("description");
                w.writeCharacters(e.description());
                w.writeEndElement();
            }
            if (e == plugin) {
                for (Entry d : deps) {
                    w.writeCharacters("\n            ");
                    w.writeEmptyElement("dependency");
                    w.writeAttribute("filename", d.filename());
                    w.writeAttribute("timestamp", timestamp);
                }
                w.writeCharacters("\n            ");
                w.writeStartElement("author");
                w.writeCharacters("IMAGINE for Fiji developers");
                w.writeEndElement();
            }
            w.writeCharacters("\n        ");
            w.writeEndElement(); // version
            w.writeCharacters("\n    ");
            w.writeEndElement(); // plugin
        }
        w.writeCharacters("\n");
        w.writeEndElement();
        w.writeCharacters("\n");
        w.writeEndDocument();
        w.close();
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
