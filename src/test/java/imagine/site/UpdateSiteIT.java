package imagine.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import imagine.TestModels;
import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Installs IMAGINE the way the Fiji updater does, from the generated update site served over
 * HTTP on loopback: reads db.xml.gz, fetches the files of this platform, checks sizes and
 * checksums (recomputed independently, in Python), lays them out in a fresh ImageJ folder beside
 * what Fiji itself ships, starts ImageJ there with the class path Fiji's launcher builds
 * (jars/ and jars/linux64/) under a virtual display, and runs the shipped demo macro.
 */
class UpdateSiteIT {

    /** What a Fiji installation already has; the site must not need to bring these. */
    static final List<String> FIJI_SHIPS = List.of("ij-", "scijava-common-", "imglib2-", "parsington-", "gson-", "jna-",
            "commons-compress-", "commons-io-", "slf4j-api-");

    record Record(String filename, String platform, String checksum, String timestamp, long size) {}

    @Test
    void installFromTheSiteAndRunTheDemo(@TempDir Path tmp) throws Exception {
        imagine.TestTools.requireXvfb();
        Path models = TestModels.modelsDir();
        Path target = Path.of("target").toAbsolutePath();
        Path site = target.resolve("update-site");
        if (!Files.isRegularFile(site.resolve("db.xml.gz"))) {
            // Built without -Pupdate-site: the same generator, Linux natives only.
            site = tmp.resolve("site");
            Path plugin;
            try (Stream<Path> s = Files.list(target)) {
                plugin = s.filter(p -> p.getFileName().toString().matches("IMAGINE_-.*\\.jar")).findFirst().orElseThrow();
            }
            UpdateSiteBuilder.build(site, plugin, target.resolve("lib"), target.resolve("natives"), "20260101000000");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        Path root = site;
        server.createContext("/", ex -> {
            Path f = root.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (!f.startsWith(root) || !Files.isRegularFile(f)) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, Files.size(f));
                try (var out = ex.getResponseBody()) {
                    Files.copy(f, out);
                }
            }
            ex.close();
        });
        server.start();
        Path ij = Files.createDirectories(tmp.resolve("ImageJ"));
        List<Record> records;
        Map<String, Path> installed = new TreeMap<>();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            HttpClient http = HttpClient.newHttpClient();
            byte[] db = http.send(HttpRequest.newBuilder(URI.create(url + "db.xml.gz")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body();
            records = parse(db);
            for (Record r : records) {
                if (r.platform() != null && !r.platform().equals("linux64")) {
                    continue; // a Linux Fiji fetches only its own natives
                }
                Path dest = ij.resolve(r.filename());
                Files.createDirectories(dest.getParent());
                HttpResponse<Path> resp = http.send(HttpRequest.newBuilder(URI.create(url + r.filename() + "-" + r.timestamp()))
                        .build(), HttpResponse.BodyHandlers.ofFile(dest));
                assertEquals(200, resp.statusCode(), r.filename());
                assertEquals(r.size(), Files.size(dest), "filesize of " + r.filename());
                assertEquals(r.checksum(), UpdaterChecksum.of(r.filename(), dest), "checksum of " + r.filename());
                installed.put(r.filename(), dest);
            }
        } finally {
            server.stop(0);
        }
        assertTrue(records.stream().anyMatch(r -> r.filename().startsWith("plugins/IMAGINE_-")), records.toString());
        assertTrue(records.stream().anyMatch(r -> "linux64".equals(r.platform())), "the Linux natives are on the site");
        // The second, independent computation of every checksum.
        Map<String, String> python = pythonChecksums(ij, installed);
        for (Record r : records) {
            if (installed.containsKey(r.filename())) {
                assertEquals(r.checksum(), python.get(r.filename()), "Python's checksum of " + r.filename());
            }
        }
        // What Fiji itself brings, from the build's own dependencies.
        Path ijJar = null;
        try (Stream<Path> s = Files.list(target.resolve("lib"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.startsWith("ij-")) {
                    ijJar = Files.copy(p, ij.resolve("ij.jar"));
                } else if (FIJI_SHIPS.stream().anyMatch(n::startsWith)) {
                    Files.copy(p, ij.resolve("jars").resolve(n));
                }
            }
        }
        Path demo = Files.createDirectories(tmp.resolve("demo"));
        Files.copy(Path.of("sample-data/demo.ijm"), demo.resolve("demo.ijm"));
        Files.copy(Path.of("sample-data/chelsea.png"), demo.resolve("chelsea.png"));
        String cp = ijJar + File.pathSeparator + ij.resolve("jars") + File.separator + "*" + File.pathSeparator
                + ij.resolve("jars/linux64") + File.separator + "*";
        Path log = tmp.resolve("imagej.log");
        Process p = new ProcessBuilder("xvfb-run", "-a", "java", "-Xmx2g", "-Duser.home=" + tmp, "-Dimagine.models=" + models,
                "-Dplugins.dir=" + ij, "-cp", cp, "ij.ImageJ", "-ijpath", ij.toString(), "-batch", demo.resolve("demo.ijm").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("ImageJ did not finish the demo in 5 minutes: " + Files.readString(log));
        }
        String out = Files.readString(log);
        assertTrue(out.contains("IMAGINE demo: saved " + demo + "/imagine-demo-1.tif (2 samples)"), out);
        assertTrue(Files.size(demo.resolve("imagine-demo-1.tif")) > 2 * 224 * 224 * 3);
    }

    static List<Record> parse(byte[] gz) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        // Validated against the DTD inside the file, as the updater's own writer can.
        f.setValidating(true);
        var builder = f.newDocumentBuilder();
        builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
            @Override
            public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                throw e;
            }
        });
        Document doc;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            doc = builder.parse(in);
        }
        assertEquals("pluginRecords", doc.getDocumentElement().getTagName());
        List<Record> out = new ArrayList<>();
        NodeList plugins = doc.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element e = (Element) plugins.item(i);
            NodeList platform = e.getElementsByTagName("platform");
            Element v = (Element) e.getElementsByTagName("version").item(0);
            out.add(new Record(e.getAttribute("filename"), platform.getLength() == 0 ? null : platform.item(0).getTextContent(),
                    v.getAttribute("checksum"), v.getAttribute("timestamp"), Long.parseLong(v.getAttribute("filesize"))));
        }
        return out;
    }

    /** The updater's checksum recomputed by a Python script (zipfile + hashlib), file by file. */
    static Map<String, String> pythonChecksums(Path ij, Map<String, Path> files) throws Exception {
        String script = String.join("\n",
                "import hashlib, sys, zipfile",
                "def skip_hashed(data):",
                "    out = bytearray(); pos = [0]; start = [True]",
                "    def rd():",
                "        ch = data[pos[0]] if pos[0] < len(data) else -1",
                "        if pos[0] < len(data): pos[0] += 1",
                "        if start[0]:",
                "            if ch == 35:",
                "                while True:",
                "                    ch = rd()",
                "                    if ch == 10 or ch == -1: break",
                "            else: start[0] = False",
                "        elif ch == 10: start[0] = True",
                "        return ch",
                "    while True:",
                "        ch = rd()",
                "        if ch < 0: return bytes(out)",
                "        out.append(ch)",
                "for rel in sys.argv[2:]:",
                "    h = hashlib.sha1()",
                "    if not rel.endswith('.jar'):",  // the model's files: the path, then the bytes
                "        h.update(rel.encode('ascii'))",
                "        h.update(open(sys.argv[1] + '/' + rel, 'rb').read())",
                "        print(rel, h.hexdigest())",
                "        continue",
                "    with zipfile.ZipFile(sys.argv[1] + '/' + rel) as z:",
                "        for name in sorted(z.namelist()):",
                "            h.update(name.encode('ascii'))",
                "            data = z.read(name)",
                "            if name.endswith('.properties'): data = skip_hashed(data)",
                "            elif name == 'META-INF/MANIFEST.MF':",
                "                data = b''.join(l + b'\\n' for l in data.splitlines() if l.upper().startswith(b'Main-Class:'))",
                "            h.update(data)",
                "    print(rel, h.hexdigest())",
                "");
        Path py = Files.writeString(ij.resolve("checksum.py"), script);
        List<String> cmd = new ArrayList<>(List.of("python3", py.toString(), ij.toString()));
        cmd.addAll(files.keySet());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Map<String, String> sums = new TreeMap<>();
        out.lines().map(l -> l.split(" ")).filter(a -> a.length == 2).forEach(a -> sums.put(a[0], a[1]));
        return sums;
    }
}
