package imagine.model;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native libraries are loaded only from a folder no other user can write. */
class NativeCacheTest {

    @Test
    void aFolderOthersCanWriteIsRefused(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        String p = NativeCache.problem(shared.resolve(".djl.ai"));
        assertTrue(p != null && p.contains("can be written by other users") && p.contains("DJL_CACHE_DIR"), p);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));
        assertTrue(NativeCache.problem(shared) != null, "group-writable too");
    }

    @Test
    void aFolderOnlyTheUserCanWriteIsFine(@TempDir Path dir) throws Exception {
        Path own = Files.createDirectory(dir.resolve("own"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
        assertNull(NativeCache.problem(own));
        assertNull(NativeCache.problem(own.resolve(".djl.ai/pytorch")), "not there yet, created inside a private folder");
    }

    @Test
    void aSymbolicLinkIsRefused(@TempDir Path dir) throws Exception {
        Path own = Files.createDirectory(dir.resolve("own"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), own);
        String p = NativeCache.problem(link);
        assertTrue(p != null && p.contains("symbolic link"), p);
    }

    @Test
    void thisMachinesDefaultIsSafe() {
        assertNull(NativeCache.problem(NativeCache.folder()), "the tests load libtorch from " + NativeCache.folder());
    }
}
