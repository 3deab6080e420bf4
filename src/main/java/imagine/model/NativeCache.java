package imagine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;

/**
 * Where DJL unpacks and loads libtorch from, checked before the engine loads. DJL picks
 * {@code ~/.djl.ai}, and when the home folder is not writable the system's shared temporary
 * folder: there any local user could plant a library that the next run would execute. DJL reads
 * the folder only from an environment variable or a JVM-wide system property (no per-use
 * setting), and a Fiji plugin must set neither, so the engine is refused to start from a folder
 * other users can write, with the fix in the message.
 */
public final class NativeCache {

    private NativeCache() {}

    /** The folder DJL will use, as DJL itself computes it. */
    public static Path folder() {
        return ai.djl.util.Utils.getEngineCacheDir().toAbsolutePath().normalize();
    }

    /** Refuses (ModelException) when {@link #folder()} is one other users could write to. */
    static void check() {
        String problem = problem(folder());
        if (problem != null) {
            throw new ModelException(problem);
        }
    }

    /**
     * Why {@code dir} is not safe to load native libraries from, or null when it is: it (or, when it
     * does not exist yet, the folder it would be created in) must be owned by this user and not
     * writable by group or others. Where the file system has no POSIX permissions (Windows) the
     * per-user default folders are taken as they are.
     */
    public static String problem(Path dir) {
        try {
            Path p = dir;
            while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                p = p.getParent();
            }
            if (p == null || !Files.getFileStore(p).supportsFileAttributeView("posix")) {
                return null;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            boolean othersWrite = perms.contains(PosixFilePermission.OTHERS_WRITE)
                    || perms.contains(PosixFilePermission.GROUP_WRITE);
            UserPrincipal owner = Files.getOwner(p, LinkOption.NOFOLLOW_LINKS);
            boolean mine = owner.getName().equals(System.getProperty("user.name"));
            if (Files.isSymbolicLink(p) || !mine || othersWrite) {
                String why = Files.isSymbolicLink(p) ? "is a symbolic link" : !mine ? "belongs to " + owner.getName()
                        : "can be written by other users";
                return "The PyTorch engine would load its native libraries from " + dir + ", and " + p + " " + why
                        + ": another user could put a library there that IMAGINE would run. Set the environment variable "
                        + "DJL_CACHE_DIR to a folder only you can write (for example a folder in your home), or make your "
                        + "home folder writable (DJL falls back to the shared temporary folder when it is not).";
            }
            return null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null; // no permissions to read: nothing to judge by (not a POSIX system)
        }
    }
}
