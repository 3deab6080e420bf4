package imagine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Where DJL unpacks and loads libtorch from, checked before the engine loads. DJL picks
 * {@code ~/.djl.ai}, and when the home folder is not writable the system's shared temporary
 * folder: there any local user could plant a library that the next run would execute. DJL reads
 * the folder only from an environment variable or a JVM-wide system property (no per-use
 * setting), and a Fiji plugin must set neither, so the engine is refused to start from a folder
 * another user owns or every user can write, with the fix in the message. Group-writable folders
 * are accepted (a umask of 002 gives them to every user's own group on many Linux systems), and
 * symbolic links are followed to the folder they name.
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
     * does not exist yet, the folder it would be created in) must belong to this user and not be
     * writable by everyone. Where the file system has no POSIX permissions (Windows) the per-user
     * default folders are taken as they are.
     */
    public static String problem(Path dir) {
        try {
            Path p = dir;
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            if (p == null || !Files.getFileStore(p).supportsFileAttributeView("unix")) {
                return null;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            boolean everyone = perms.contains(PosixFilePermission.OTHERS_WRITE);
            Object owner = Files.getAttribute(p, "unix:uid");
            boolean mine = owner.equals(myUid());
            if (!mine || everyone) {
                String why = !mine ? "belongs to another user (uid " + owner + ")" : "can be written by every user";
                return "The PyTorch engine would load its native libraries from " + dir + ", and " + p + " " + why
                        + ": another user could put a library there that IMAGINE would run. Set the environment variable "
                        + "DJL_CACHE_DIR to a folder only you can write (for example a folder in your home), or make your "
                        + "home folder writable (DJL falls back to the shared temporary folder when it is not).";
            }
            return null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return null; // no permissions to read: nothing to judge by
        }
    }

    private static Object myUid;

    /** This process's uid: the owner of a file it creates (Java has no call for it). */
    static synchronized Object myUid() throws IOException {
        if (myUid == null) {
            Path probe = Files.createTempFile("imagine-uid", ".tmp");
            try {
                myUid = Files.getAttribute(probe, "unix:uid");
            } finally {
                Files.deleteIfExists(probe);
            }
        }
        return myUid;
    }
}
