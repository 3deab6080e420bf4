package imagine.site;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The files a live update site already lists, read from its {@code db.xml.gz}: each file's
 * current version and earlier ones. A new release carries them forward as
 * {@code <previous-version>} entries, as the updater's own upload does: the updater offers a file
 * as an update only when the installed copy's checksum is listed there (otherwise it calls the
 * copy "locally modified" and skips it).
 */
public final class SiteHistory {

    /** One version of a file: its upload timestamp and checksum; obsolete since when (0 = current). */
    public record Version(String filename, String timestamp, String checksum, String timestampObsolete) {}

    /** A file of the site: its current version (null when it was removed) and earlier ones, newest first. */
    public record Record(String filename, List<String> platforms, Version current, long filesize, List<Version> previous) {}

    private final Map<String, Record> byBaseName;

    private SiteHistory(Map<String, Record> byBaseName) {
        this.byBaseName = byBaseName;
    }

    public static SiteHistory empty() {
        return new SiteHistory(Map.of());
    }

    /**
     * Reads the site at {@code location}: a db.xml.gz file, a folder holding one, or an http(s)
     * or file URL of the site (db.xml.gz is appended) or of the file.
     */
    public static SiteHistory read(String location) throws IOException {
        try (InputStream in = open(location)) {
            return parse(in);
        }
    }

    private static InputStream open(String location) throws IOException {
        if (location.matches("(?i)(https?|file):.*")) {
            String url = location.endsWith(".gz") ? location : location.replaceAll("/*$", "/") + "db.xml.gz";
            return new GZIPInputStream(URI.create(url).toURL().openStream());
        }
        Path p = Path.of(location);
        if (Files.isDirectory(p)) {
            p = p.resolve("db.xml.gz");
        }
        if (!Files.isRegularFile(p)) {
            throw new IOException("No update site index at " + p + ": give the live site's db.xml.gz, its folder or its URL.");
        }
        return new GZIPInputStream(Files.newInputStream(p));
    }

    static SiteHistory parse(InputStream in) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // The index carries its DTD inline; nothing outside the file is read.
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setAttribute(javax.xml.XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(javax.xml.XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setExpandEntityReferences(false);
            doc = f.newDocumentBuilder().parse(in);
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IOException("The update site index is not readable: " + e.getMessage(), e);
        }
        Map<String, Record> out = new LinkedHashMap<>();
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element e = (Element) plugins.item(i);
            String filename = e.getAttribute("filename");
            List<String> platforms = new ArrayList<>();
            NodeList pl = e.getElementsByTagName("platform");
            for (int k = 0; k < pl.getLength(); k++) {
                platforms.add(pl.item(k).getTextContent().trim());
            }
            Version current = null;
            long size = 0;
            NodeList v = e.getElementsByTagName("version");
            if (v.getLength() > 0) {
                Element ve = (Element) v.item(0);
                current = new Version(filename, ve.getAttribute("timestamp"), ve.getAttribute("checksum"), "");
                size = Long.parseLong(ve.getAttribute("filesize"));
            }
            List<Version> previous = new ArrayList<>();
            NodeList pv = e.getElementsByTagName("previous-version");
            for (int k = 0; k < pv.getLength(); k++) {
                Element p = (Element) pv.item(k);
                previous.add(new Version(p.getAttribute("filename").isEmpty() ? null : p.getAttribute("filename"),
                        p.getAttribute("timestamp"), p.getAttribute("checksum"), p.getAttribute("timestamp-obsolete")));
            }
            out.put(baseName(filename), new Record(filename, platforms, current, size, previous));
        }
        return new SiteHistory(out);
    }

    /** The record of the file that {@code filename} is a version of (versions in file names ignored), or null. */
    public Record of(String filename) {
        return byBaseName.get(baseName(filename));
    }

    /** Every record, by base name. */
    public Map<String, Record> records() {
        return byBaseName;
    }

    /**
     * A file name without its version, as the updater matches files across releases:
     * {@code jars/djl-api-0.36.0.jar} and {@code jars/djl-api-0.32.0.jar} are the same file.
     */
    static String baseName(String filename) {
        return filename.replaceFirst("-[0-9][^/]*?(\\.jar)$", "$1");
    }
}
