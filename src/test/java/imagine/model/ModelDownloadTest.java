package imagine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import imagine.TestModels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads against a real HTTP server on loopback serving a copy of the models folder: a good
 * download, a corrupt file on the server, a damaged local file, a truncated body, a 404, a
 * stalled server, no server at all, offline mode, trust on first use and a hostile manifest.
 */
class ModelDownloadTest {

    static final String ID = ModelSpec.DEFAULT_ID;
    static final String SHARD = "group10-shard1of1";

    enum Fault { CORRUPT, TRUNCATE, NOT_FOUND, STALL }

    static HttpServer server;
    static String url;
    static final Map<String, Fault> faults = new ConcurrentHashMap<>();
    static final Map<String, byte[]> overrides = new ConcurrentHashMap<>();
    static String offline;

    @BeforeAll
    static void serve() throws IOException {
        Path root = TestModels.modelsDir();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            String rel = ex.getRequestURI().getPath().substring(1);
            // Any catalog id is served from the one model we have (for the trust-on-first-use case).
            Path f = root.resolve(rel.replaceFirst("^mobilenet_v1_[0-9.]+_224/", ID + "/")).normalize();
            Fault fault = faults.get(rel.substring(rel.indexOf('/') + 1));
            byte[] body = overrides.containsKey(rel) ? overrides.get(rel)
                    : Files.isRegularFile(f) && f.startsWith(root) ? Files.readAllBytes(f) : null;
            try {
                if (body == null || fault == Fault.NOT_FOUND) {
                    ex.sendResponseHeaders(404, -1);
                } else if (fault == Fault.CORRUPT) {
                    body = body.clone();
                    body[body.length / 2] ^= 0x5a;
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                } else if (fault == Fault.TRUNCATE) {
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body, 0, body.length / 2);
                    ex.getResponseBody().flush();
                    ex.getHttpContext(); // then the connection is dropped
                    throw new IOException("server drops the connection");
                } else if (fault == Fault.STALL) {
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body, 0, 10);
                    ex.getResponseBody().flush();
                    Thread.sleep(3000);
                } else {
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ex.close();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @BeforeEach
    void online() {
        offline = System.getProperty("ai.djl.offline");
        System.setProperty("ai.djl.offline", "false");
        faults.clear();
        overrides.clear();
    }

    @AfterEach
    void restore() {
        if (offline == null) {
            System.clearProperty("ai.djl.offline");
        } else {
            System.setProperty("ai.djl.offline", offline);
        }
    }

    static ModelDownloader downloader(List<String> log) {
        return new ModelDownloader(url, 1000, log::add);
    }

    static List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void goodDownloadMatchesTheCatalogAndLoads(@TempDir Path dir) throws Exception {
        List<String> log = new ArrayList<>();
        Path folder = dir.resolve(ID);
        downloader(log).fetch(ID, folder);
        Map<String, String> pins = ModelDownloader.catalogHashes(ID);
        assertEquals(56, pins.size(), "model.json and 55 weight files pinned in the catalog");
        for (var e : pins.entrySet()) {
            assertEquals(e.getValue(), ModelDownloader.sha256(folder.resolve(e.getKey())), e.getKey());
        }
        TfjsModel m = TfjsModel.read(folder);
        assertEquals(137, m.weights().size());
        assertTrue(ModelStore.readLabels(folder).get(0).startsWith("tench"), "labels ship with the plugin");
        // A second fetch downloads nothing.
        log.clear();
        downloader(log).fetch(ID, folder);
        assertTrue(log.isEmpty(), log.toString());
    }

    @Test
    void corruptFileOnTheServerIsRefusedAndNotInstalled(@TempDir Path dir) throws Exception {
        faults.put(SHARD, Fault.CORRUPT);
        Path folder = dir.resolve(ID);
        var e = assertThrows(ModelException.class, () -> downloader(new ArrayList<>()).fetch(ID, folder));
        assertTrue(e.getMessage().contains("does not match its checksum") && e.getMessage().contains(SHARD), e.getMessage());
        assertFalse(Files.exists(folder.resolve(SHARD)));
        assertTrue(leftovers(folder).isEmpty());
    }

    @Test
    void damagedLocalFileIsReplaced(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve(ID);
        downloader(new ArrayList<>()).fetch(ID, folder);
        assertTrue(ModelDownloader.status(ID, folder).startsWith("present, 56 files match the catalog"));
        Files.write(folder.resolve(SHARD), new byte[] {1, 2, 3});
        String status = ModelDownloader.status(ID, folder);
        assertTrue(status.startsWith("DAMAGED: 1 of 56") && status.contains(SHARD), "the doctor sees it: " + status);
        List<String> log = new ArrayList<>();
        downloader(log).fetch(ID, folder);
        assertTrue(log.stream().anyMatch(l -> l.contains(SHARD + " is damaged")), log.toString());
        assertEquals(ModelDownloader.catalogHashes(ID).get(SHARD), ModelDownloader.sha256(folder.resolve(SHARD)));
    }

    @Test
    void truncatedDownloadLeavesNothing(@TempDir Path dir) throws Exception {
        faults.put(SHARD, Fault.TRUNCATE);
        Path folder = dir.resolve(ID);
        var e = assertThrows(ModelException.class, () -> downloader(new ArrayList<>()).fetch(ID, folder));
        assertTrue(e.getMessage().contains(SHARD) && (e.getMessage().contains("broke off")
                || e.getMessage().contains("truncated")), e.getMessage());
        assertFalse(Files.exists(folder.resolve(SHARD)));
        assertTrue(leftovers(folder).isEmpty());
    }

    @Test
    void notFoundSaysWhereToPutTheFile(@TempDir Path dir) {
        faults.put(SHARD, Fault.NOT_FOUND);
        Path folder = dir.resolve(ID);
        var e = assertThrows(ModelException.class, () -> downloader(new ArrayList<>()).fetch(ID, folder));
        assertTrue(e.getMessage().contains("HTTP 404") && e.getMessage().contains(folder.resolve(SHARD).toString()),
                e.getMessage());
    }

    @Test
    void stalledServerTimesOut(@TempDir Path dir) {
        faults.put(SHARD, Fault.STALL);
        Path folder = dir.resolve(ID);
        long t0 = System.nanoTime();
        var e = assertThrows(ModelException.class, () -> downloader(new ArrayList<>()).fetch(ID, folder));
        assertTrue(e.getMessage().contains("stalled"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "fails after the 1 s timeout, not hangs");
    }

    @Test
    void noServerIsAClearError(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var d = new ModelDownloader("http://127.0.0.1:" + port + "/", 1000, l -> {});
        var e = assertThrows(ModelException.class, () -> d.fetch(ID, dir.resolve(ID)));
        assertTrue(e.getMessage().startsWith("Cannot reach"), e.getMessage());
    }

    @Test
    void offlineSaysWhichFilesToPutWhere(@TempDir Path dir) {
        System.setProperty("ai.djl.offline", "true");
        var e = assertThrows(ModelException.class, () -> downloader(new ArrayList<>()).fetch(ID, dir.resolve(ID)));
        assertTrue(e.getMessage().contains("offline") && e.getMessage().contains("model.json")
                && e.getMessage().contains(dir.resolve(ID).toString()), e.getMessage());
    }

    @Test
    void withoutCatalogHashesTheFirstDownloadIsPinned(@TempDir Path dir) throws Exception {
        String id = "mobilenet_v1_0.50_224";
        assertTrue(ModelDownloader.catalogHashes(id).isEmpty());
        Path folder = dir.resolve(id);
        List<String> log = new ArrayList<>();
        downloader(log).fetch(id, folder);
        assertTrue(log.stream().anyMatch(l -> l.contains("trust on first use")), log.toString());
        assertTrue(Files.readString(folder.resolve(ModelDownloader.PIN_FILE)).contains(SHARD));
        // Later the server serves something else: the pin catches it.
        Files.delete(folder.resolve(SHARD));
        faults.put(SHARD, Fault.CORRUPT);
        var e = assertThrows(ModelException.class, () -> downloader(new ArrayList<>()).fetch(id, folder));
        assertTrue(e.getMessage().contains("does not match its checksum"), e.getMessage());
    }

    @Test
    void manifestPathsLeavingTheFolderAreRefused(@TempDir Path dir) {
        String id = "mobilenet_v1_0.25_224";
        overrides.put(id + "/model.json", ("{\"modelTopology\": {}, \"weightsManifest\": [{\"paths\": [\"../../evil\"], "
                + "\"weights\": []}]}").getBytes());
        var e = assertThrows(ModelException.class, () -> downloader(new ArrayList<>()).fetch(id, dir.resolve(id)));
        assertTrue(e.getMessage().contains("outside the model folder"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("evil")));
    }
}
