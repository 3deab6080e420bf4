package imagine.model;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native libraries are loaded only from a tree nobody but this user can change. */
class NativeCacheTest {

    private static Path folder(Path parent, String name, String perms) throws Exception {
        Path p = Files.createDirectories(parent.resolve(name));
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
        return p;
    }

    /** A cache as DJL leaves it: pytorch/2.5.1-cpu-linux-x86_64/ with the libraries. */
    private static Path cache(Path parent) throws Exception {
        Path cache = folder(parent, "cache", "rwx------");
        Path version = folder(cache, "pytorch/2.5.1-cpu-linux-x86_64", "rwxr-xr-x");
        Files.setPosixFilePermissions(cache.resolve("pytorch"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String lib : new String[] {"libtorch.so", "0.32.0-libdjl_torch.so"}) {
            Files.writeString(version.resolve(lib), "ELF");
            Files.setPosixFilePermissions(version.resolve(lib), PosixFilePermissions.fromString("rw-r--r--"));
        }
        return cache;
    }

    @Test
    void aFolderOthersCanWriteIsRefused(@TempDir Path dir) throws Exception {
        Path shared = folder(dir, "shared", "rwxrwxrwx");
        String p = NativeCache.problem(shared.resolve(".djl.ai"));
        assertTrue(p != null && p.contains("can be written by every user") && p.contains("DJL_CACHE_DIR")
                && p.contains("chmod go-w " + shared), p);
    }

    @Test
    void aGroupWritableFolderIsRefusedToo(@TempDir Path dir) throws Exception {
        Path group = folder(dir, "group", "rwxrwxr-x");
        String p = NativeCache.problem(group);
        assertTrue(p != null && p.contains("can be written by its group"), p);
    }

    @Test
    void aFolderOnlyTheUserCanWriteIsFine(@TempDir Path dir) throws Exception {
        Path own = folder(dir, "own", "rwx------");
        assertNull(NativeCache.problem(own));
        assertNull(NativeCache.problem(own.resolve(".djl.ai/pytorch")), "not there yet, created inside a private folder");
        assertNull(NativeCache.problem(cache(dir)), "a cache as DJL leaves it under umask 022");
    }

    @Test
    void everyFolderAndLibraryBelowTheCacheIsChecked(@TempDir Path dir) throws Exception {
        Path cache = cache(dir);
        Path version = cache.resolve("pytorch/2.5.1-cpu-linux-x86_64");
        Files.setPosixFilePermissions(version, PosixFilePermissions.fromString("rwxrwxrwx"));
        String p = NativeCache.problem(cache);
        assertTrue(p != null && p.contains(version.toString()) && p.contains("every user"), p);

        Files.setPosixFilePermissions(version, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path lib = version.resolve("0.32.0-libdjl_torch.so");
        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-rw-r--"));
        p = NativeCache.problem(cache);
        assertTrue(p != null && p.contains(lib.toString()) && p.contains("its group"), p);

        Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(version.resolve("libc10.so"), dir.resolve("elsewhere.so"));
        p = NativeCache.problem(cache);
        assertTrue(p != null && p.contains("symbolic link") && p.contains("`rm " + version.resolve("libc10.so") + "`"), p);
    }

    @Test
    void aLibraryFolderGivenWithPytorchLibraryPathIsCheckedToo(@TempDir Path dir) throws Exception {
        Path lib = cache(dir).resolve("pytorch/2.5.1-cpu-linux-x86_64");
        System.setProperty("PYTORCH_LIBRARY_PATH", lib.toString());
        try {
            assertTrue(NativeCache.overrides().contains(lib), NativeCache.overrides().toString());
            assertNull(NativeCache.problem(lib), "the user's own library folder");
            // A link there (as a system libtorch has) is judged by where it leads.
            Path safe = Files.createDirectory(dir.resolve("safe"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.createSymbolicLink(lib.resolve("libc10_cuda.so"), Files.createFile(safe.resolve("libc10_cuda.so")));
            assertNull(NativeCache.problem(lib), "a link to a library only the user can change");
            Path open = Files.createDirectory(dir.resolve("open"));
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.createSymbolicLink(lib.resolve("libtorch_cuda.so"), Files.createFile(open.resolve("libtorch_cuda.so")));
            String viaLink = NativeCache.problem(lib);
            assertTrue(viaLink != null && viaLink.contains(open.toString()) && viaLink.contains("every user"), viaLink);
            Files.delete(lib.resolve("libtorch_cuda.so"));
            Files.setPosixFilePermissions(lib.resolve("libtorch.so"), PosixFilePermissions.fromString("rw-rw-rw-"));
            String p = NativeCache.problem(lib);
            assertTrue(p != null && p.contains("libtorch.so") && p.contains("every user"), p);
            var e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class, NativeCache::check);
            assertTrue(e.getMessage().contains("libtorch.so"), e.getMessage());
        } finally {
            System.clearProperty("PYTORCH_LIBRARY_PATH");
        }
    }

    @Test
    void aSymbolicLinkIsJudgedByTheFolderItNamesAndByWhereItLies(@TempDir Path dir) throws Exception {
        Path own = folder(dir, "own", "rwx------");
        assertNull(NativeCache.problem(Files.createSymbolicLink(dir.resolve("link"), own)));
        Path shared = folder(dir, "shared", "rwxrwxrwx");
        assertNotNull(NativeCache.problem(Files.createSymbolicLink(dir.resolve("link2"), shared)));
        // A private target reached through a link in a folder others can write: the link could be swapped.
        assertNotNull(NativeCache.problem(Files.createSymbolicLink(shared.resolve("link3"), own)));
    }

    @Test
    void anotherUsersLinkOrFolderIsRefused(@TempDir Path dir) throws Exception {
        assumeTrue(Integer.valueOf(0).equals(ThisUser.uid()), "only root can give a file to another user");
        Path own = folder(dir, "own", "rwx------");
        Path link = Files.createSymbolicLink(dir.resolve("theirs"), own);
        Files.setAttribute(link, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        String p = NativeCache.problem(link);
        assertTrue(p != null && p.contains("belongs to another user (uid 65534)"), p);
        Path cache = cache(dir);
        Files.setAttribute(cache.resolve("pytorch/2.5.1-cpu-linux-x86_64/libtorch.so"), "unix:uid", 65534);
        p = NativeCache.problem(cache);
        assertTrue(p != null && p.contains("libtorch.so") && p.contains("another user"), p);
    }

    @Test
    void thisUserIsKnownAndOwnsWhatItMakes(@TempDir Path dir) throws Exception {
        assertNotNull(ThisUser.uid());
        assertTrue(ThisUser.owns(Files.createFile(dir.resolve("mine"))));
    }

    @Test
    void thisMachinesDefaultIsSafe() {
        assertNull(NativeCache.problem(NativeCache.folder()), "the tests load libtorch from " + NativeCache.folder());
    }
}
