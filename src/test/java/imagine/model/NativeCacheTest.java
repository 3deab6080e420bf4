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
        assertTrue(p != null && p.contains("can be written by every user") && p.contains("DJL_CACHE_DIR"), p);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertNull(NativeCache.problem(shared), "group-writable is a umask-002 user's ordinary folder");
    }

    @Test
    void aFolderOnlyTheUserCanWriteIsFine(@TempDir Path dir) throws Exception {
        Path own = Files.createDirectory(dir.resolve("own"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
        assertNull(NativeCache.problem(own));
        assertNull(NativeCache.problem(own.resolve(".djl.ai/pytorch")), "not there yet, created inside a private folder");
    }

    @Test
    void aSymbolicLinkIsJudgedByTheFolderItNames(@TempDir Path dir) throws Exception {
        Path own = Files.createDirectory(dir.resolve("own"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx------"));
        assertNull(NativeCache.problem(Files.createSymbolicLink(dir.resolve("link"), own)));
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(NativeCache.problem(Files.createSymbolicLink(dir.resolve("link2"), shared)) != null);
    }

    @Test
    void thisMachinesDefaultIsSafe() {
        assertNull(NativeCache.problem(NativeCache.folder()), "the tests load libtorch from " + NativeCache.folder());
    }
}
