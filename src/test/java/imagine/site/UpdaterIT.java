package imagine.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import imagine.TestTools;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update site as the real ImageJ updater (headless, ../shared/tools/imagej-updater) sees it,
 * release after release: release 1 into an empty ImageJ folder on linux64, win64 and macos-arm64
 * installs that platform's libtorch only; release 2 (a new plugin version, built over release 1's
 * index) is offered as an update, installs, and leaves nothing modified and no old file behind.
 */
class UpdaterIT {

    static final String[] PLATFORMS = {"linux64", "win64", "macos-arm64"};

    @Test
    void releaseAfterRelease(@TempDir Path tmp) throws Exception {
        Path updater = TestTools.updater();
        Path target = Path.of("target").toAbsolutePath();
        Path plugin = pluginJar(target);
        Path natives = target.resolve("natives");
        boolean allPlatforms = Files.isDirectory(natives) && list(natives).size() >= 2;
        if (!allPlatforms && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("target/natives lacks the win64 and macos-arm64 libtorch jars: build with -Pupdate-site (README)");
        }
        Path site = tmp.resolve("site");
        Path models = imagine.TestModels.modelsDir();
        UpdateSiteBuilder.build(site, plugin, target.resolve("lib"), natives, "20260101000000", SiteHistory.empty(), models);

        Map<String, Path> folders = new TreeMap<>();
        for (String platform : allPlatforms ? PLATFORMS : new String[] {"linux64"}) {
            Path ij = seeded(tmp.resolve("ImageJ-" + platform), site);
            String out = run(updater, ij, platform, "update");
            Map<String, Long> files = files(ij);
            System.out.println("release 1 on " + platform + ":");
            files.forEach((f, size) -> System.out.printf("  %,12d  %s%n", size, f));
            assertTrue(files.keySet().stream().anyMatch(f -> f.matches("plugins/IMAGINE_-.*\\.jar")), out + files);
            assertTrue(files.containsKey("jars/djl-api-" + djl(target) + ".jar"), out + files);
            // The default model comes with the plugin, byte for byte, where the installed plugin looks first.
            Path installedModel = ij.resolve("models/imagine/" + imagine.model.ModelSpec.DEFAULT_ID);
            assertTrue(Files.isRegularFile(installedModel.resolve("model.json")), "the model is installed: " + files);
            assertEquals(List.of(), new imagine.model.ModelStore(ij.resolve("models/imagine")).problems(
                    imagine.model.ModelSpec.DEFAULT_ID), "its files match the published checksums");
            assertEquals(ij.resolve("models/imagine").toRealPath(), defaultFolderOf(ij).toRealPath(),
                    "the installed plugin finds it with no setting");
            assertTrue(files.keySet().stream().anyMatch(f -> f.startsWith("jars/" + platform + "/djl-pytorch-native-cpu-")),
                    "this platform's libtorch: " + files);
            for (String other : PLATFORMS) {
                if (!other.equals(platform)) {
                    assertTrue(files.keySet().stream().noneMatch(f -> f.startsWith("jars/" + other + "/")),
                            "no " + other + " natives on " + platform + ": " + files);
                }
            }
            folders.put(platform, ij);
        }

        // Release 2: a new plugin version, built over the live site's index.
        Path plugin2 = changedCopy(plugin, tmp.resolve("IMAGINE_-99.0.0.jar"));
        List<UpdateSiteBuilder.Listed> listed = UpdateSiteBuilder.build(site, plugin2, target.resolve("lib"), natives,
                "20260202000000", SiteHistory.read(site.toString()));
        assertEquals("20260202000000", listed.get(0).timestamp(), "the plugin is a new version");
        assertTrue(listed.stream().skip(1).allMatch(l -> l.timestamp().equals("20260101000000")), "the rest is unchanged");
        Path ij = folders.get("linux64");
        String before = run(updater, ij, "linux64", "list");
        System.out.println("updater list after release 2 was published:");
        before.lines().filter(l -> l.contains("jars/") || l.contains("plugins/")).forEach(l -> System.out.println("  " + l));
        assertTrue(before.lines().anyMatch(l -> l.contains("plugins/IMAGINE_") && l.contains("UPDATEABLE")),
                "release 2 is offered as an update: " + before);
        assertTrue(before.lines().noneMatch(l -> l.contains("MODIFIED") || l.contains("LOCAL_ONLY")), before);
        String update = run(updater, ij, "linux64", "update");
        assertTrue(!update.contains("Skipping"), update);
        Map<String, Long> after = files(ij);
        System.out.println("after release 2 on linux64:");
        after.forEach((f, size) -> System.out.printf("  %,12d  %s%n", size, f));
        List<String> plugins = after.keySet().stream().filter(f -> f.startsWith("plugins/")).toList();
        assertEquals(List.of("plugins/IMAGINE_-99.0.0.jar"), plugins, "the new version replaced the old one");
        assertEquals(UpdaterChecksum.of("plugins/IMAGINE_-99.0.0.jar", plugin2),
                UpdaterChecksum.of("plugins/IMAGINE_-99.0.0.jar", ij.resolve("plugins/IMAGINE_-99.0.0.jar")));
        assertTrue(after.keySet().stream().noneMatch(f -> f.startsWith("update/")), "nothing staged left: " + after);
        String status = run(updater, ij, "linux64", "list");
        assertTrue(status.lines().noneMatch(l -> l.contains("IMAGINE_") && !l.contains("INSTALLED")
                && !l.contains("OBSOLETE")), status);
        assertTrue(run(updater, ij, "linux64", "list-modified").lines().noneMatch(l -> l.contains("jars/")
                || l.contains("plugins/")), "nothing locally modified");
    }

    /**
     * The models folder the plugin installed in {@code ij} uses when nothing names one: asked of the
     * installed jar itself (its own location decides), with no system property or variable set.
     */
    static Path defaultFolderOf(Path ij) throws Exception {
        Path jar;
        try (Stream<Path> s = Files.list(ij.resolve("plugins"))) {
            jar = s.filter(p -> p.getFileName().toString().startsWith("IMAGINE_")).findFirst().orElseThrow();
        }
        java.net.URL[] urls;
        try (Stream<Path> s = Files.list(ij.resolve("jars"))) {
            List<java.net.URL> list = new ArrayList<>(List.of(jar.toUri().toURL()));
            for (Path p : s.filter(p -> p.toString().endsWith(".jar")).toList()) {
                list.add(p.toUri().toURL());
            }
            // What Fiji itself ships and the site leaves out (Gson, SLF4J), from the build.
            try (Stream<Path> lib = Files.list(Path.of("target/lib"))) {
                for (Path p : lib.filter(p -> p.getFileName().toString().matches("(gson|slf4j-api)-.*\\.jar")).toList()) {
                    list.add(p.toUri().toURL());
                }
            }
            urls = list.toArray(new java.net.URL[0]);
        }
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
            Class<?> store = Class.forName("imagine.model.ModelStore", true, loader);
            return (Path) store.getMethod("defaultFolder").invoke(null);
        }
    }

    /** An ImageJ folder whose index knows only the IMAGINE site (the official one disabled: offline). */
    static Path seeded(Path ij, Path site) throws IOException {
        Files.createDirectories(ij);
        String db = "<pluginRecords>\n<disabled-update-site name=\"ImageJ\" url=\"https://update.imagej.net/\" "
                + "official=\"true\" timestamp=\"0\"/>\n<update-site name=\"IMAGINE\" url=\"" + site.toUri()
                + "\" timestamp=\"0\"/>\n</pluginRecords>\n";
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(ij.resolve("db.xml.gz")))) {
            o.write(db.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return ij;
    }

    static String run(Path updater, Path ij, String platform, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", updater.toString(), ij.toString()));
        cmd.addAll(List.of(command));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("IMAGEJ_PLATFORM", platform);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the updater did not finish " + String.join(" ", command));
        }
        String text = new String(out);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " on " + platform + ": " + text);
        return text;
    }

    /** Files of an ImageJ folder and their sizes, the updater's own bookkeeping left out. */
    static Map<String, Long> files(Path ij) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(ij)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String rel = ij.relativize(p).toString().replace('\\', '/');
                if (!rel.equals("db.xml.gz") && !rel.equals(".checksums") && !rel.startsWith("db.xml.gz.")) {
                    m.put(rel, Files.size(p));
                }
            }
        }
        return m;
    }

    /** A copy of the plugin jar with one more entry: another checksum, as a new release has. */
    static Path changedCopy(Path jar, Path out) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
                ZipOutputStream o = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                o.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(o);
                o.closeEntry();
            }
            o.putNextEntry(new ZipEntry("imagine/release.txt"));
            o.write("release 2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            o.closeEntry();
        }
        return out;
    }

    static Path pluginJar(Path target) throws IOException {
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().matches("IMAGINE_-.*\\.jar")).findFirst().orElseThrow();
        }
    }

    static String djl(Path target) throws IOException {
        return list(target.resolve("lib")).stream().map(p -> p.getFileName().toString()).filter(n -> n.startsWith("api-"))
                .map(n -> n.substring(4, n.length() - 4)).findFirst().orElseThrow();
    }

    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
