package imagine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The user this process runs as, by uid, and whether a file is theirs: what the native-library
 * check, the core share and the cleaning of killed runs' leftovers trust. Java has no call for the
 * uid; the answers come from the JDK's Unix login module, else from the owner of {@code /proc/self},
 * else from a file this process creates. Where none answers (no POSIX file system) the uid is null.
 */
public final class ThisUser {

    private static Object uid;
    private static boolean known;

    private ThisUser() {}

    /** This process's uid as {@code Files.getAttribute(p, "unix:uid")} gives it, or null where there is none. */
    public static synchronized Object uid() {
        if (!known) {
            uid = lookUp();
            known = true;
        }
        return uid;
    }

    private static Object lookUp() {
        try {
            return (int) new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            // a runtime without the jdk.security.auth module, or not Unix
        }
        try {
            return Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            // no /proc
        }
        try {
            Path probe = Files.createTempFile("imagine-uid", ".tmp");
            try {
                return Files.getAttribute(probe, "unix:uid");
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static java.nio.file.attribute.UserPrincipal principal;
    private static boolean principalKnown;

    /**
     * This process's user as the file system names owners (to compare with {@code
     * PosixFileAttributes.owner()}), or null where it cannot be told.
     */
    public static synchronized java.nio.file.attribute.UserPrincipal principal() {
        if (!principalKnown) {
            principal = lookUpPrincipal();
            principalKnown = true;
        }
        return principal;
    }

    private static java.nio.file.attribute.UserPrincipal lookUpPrincipal() {
        try {
            return Files.getOwner(Path.of("/proc/self")); // owned by the process's effective user
        } catch (IOException | RuntimeException e) {
            // no /proc (macOS)
        }
        try {
            return Path.of(".").getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether {@code p} itself (a link is not followed) belongs to this user. True where the file
     * system has no owners to compare (the caller's other checks decide there); false when the owner
     * cannot be read.
     */
    public static boolean owns(Path p) {
        try {
            if (!Files.getFileStore(p.toAbsolutePath().getParent() == null ? p : p.toAbsolutePath().getParent())
                    .supportsFileAttributeView("unix")) {
                return true;
            }
            Object me = uid();
            return me != null && me.equals(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
