package imagine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where DJL unpacks and loads libtorch from, checked before the engine loads: native code runs with
 * the user's rights, so nobody else may be able to change what is loaded. DJL picks {@code
 * ~/.djl.ai} (when the home folder is not writable, the system's shared temporary folder) and reads
 * the folder only from an environment variable or a JVM-wide system property, which a Fiji plugin
 * must not set; so instead of choosing the folder, IMAGINE refuses to start the engine from one
 * that fails this check, with the fix in the message:
 * <ul>
 * <li>every folder on the way to it, as written and as its real path (links resolved), belongs to
 * this user or to root and is writable by nobody else, except a root-owned sticky folder such as
 * {@code /tmp}, where others cannot rename or remove what this user owns;
 * <li>everything under its {@code pytorch} folder (the libraries and the folders they are in)
 * belongs to this user (or root), is not writable by group or others, and is no symbolic link.
 * </ul>
 * The same holds for library folders given with DJL's {@code PYTORCH_LIBRARY_PATH} (a system
 * PyTorch owned by root passes).
 * Group-writable is refused too: any member of the group could replace a library. With both
 * chains checked nothing between the check and the load can be swapped by someone else. The check
 * fails closed: what cannot be read is refused. Missing folders are made private (0700) before
 * DJL fills them, and what DJL unpacked is made not writable by group or others afterwards.
 */
public final class NativeCache {

    private static final Set<PosixFilePermission> OTHERS_CAN_WRITE =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private NativeCache() {}

    /** The folder DJL will use, as DJL itself computes it. */
    public static Path folder() {
        return ai.djl.util.Utils.getEngineCacheDir().toAbsolutePath().normalize();
    }

    /**
     * Refuses (ModelException) when {@link #folder()}, or a library folder set with DJL's
     * {@code PYTORCH_LIBRARY_PATH} or {@code LIBSTDCXX_LIBRARY_PATH}, fails the check. The cache's
     * missing folders are made private, then everything is checked again: a folder someone made in
     * between (the name was free a moment before) is judged as it is now.
     */
    static void check() {
        Path dir = folder();
        refuseIf(problem(dir));
        for (Path lib : overrides()) {
            refuseIf(problem(lib));
        }
        prepare(dir.resolve("pytorch"));
        refuseIf(problem(dir));
    }

    private static void refuseIf(String problem) {
        if (problem != null) {
            throw new ModelException(problem);
        }
    }

    /**
     * The folders DJL loads native code from instead of the cache when these settings are given
     * (environment first, then system property, as DJL reads them): each folder of {@code
     * PYTORCH_LIBRARY_PATH}, and the folder of {@code LIBSTDCXX_LIBRARY_PATH}'s library.
     */
    static List<Path> overrides() {
        List<Path> out = new ArrayList<>();
        String torch = ai.djl.util.Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        if (torch != null && !torch.isBlank()) {
            for (String part : torch.split(java.io.File.pathSeparator)) {
                Path p = Path.of(part).toAbsolutePath().normalize();
                out.add(Files.isRegularFile(p) ? p.getParent() : p);
            }
        }
        String std = ai.djl.util.Utils.getEnvOrSystemProperty("LIBSTDCXX_LIBRARY_PATH");
        if (std != null && !std.isBlank()) {
            out.add(Path.of(std).toAbsolutePath().normalize().getParent());
        }
        return out;
    }

    /**
     * Why native libraries must not be loaded from {@code dir}, or null when they may. Where the
     * file system has no POSIX owners (Windows) the per-user default folders are taken as they are.
     */
    public static String problem(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            Path existing = abs;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null || !Files.getFileStore(existing).supportsFileAttributeView("unix")) {
                return null;
            }
            Object me = ThisUser.uid();
            if (me == null) {
                return refusal(abs, abs, "cannot be checked (this process's user cannot be told)");
            }
            String why = chain(existing, me, abs);
            if (why == null) {
                why = chain(existing.toRealPath(), me, abs);
            }
            boolean given = abs.getFileName() != null && Files.isRegularFile(abs.resolve(System.mapLibraryName("torch")));
            Path libraries = given ? abs : abs.resolve("pytorch"); // a library folder given directly, or DJL's cache
            if (why == null && Files.isDirectory(libraries, LinkOption.NOFOLLOW_LINKS)) {
                why = tree(libraries, me, abs, given);
            }
            return why;
        } catch (IOException | RuntimeException e) {
            return refusal(abs, abs, "cannot be checked (" + e.getMessage() + ")");
        }
    }

    /** The first folder from the root down to {@code p} (not resolving links) that others could change, or null. */
    private static String chain(Path p, Object me, Path dir) throws IOException {
        List<Path> prefixes = new ArrayList<>();
        for (Path q = p; q != null; q = q.getParent()) {
            prefixes.add(0, q);
        }
        for (Path q : prefixes) {
            PosixFileAttributes a = Files.readAttributes(q, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Object owner = Files.getAttribute(q, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            boolean root = Integer.valueOf(0).equals(owner);
            if (!owner.equals(me) && !root) {
                return refusal(dir, q, "belongs to another user (uid " + owner + ")");
            }
            if (a.isSymbolicLink()) {
                continue; // a link's own bits mean nothing; its folder was checked, its target is checked as the real path
            }
            boolean sticky = (((Number) Files.getAttribute(q, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue() & 01000) != 0;
            if (!(root && sticky) && writableByOthers(a.permissions())) {
                return refusal(dir, q, "can be written by " + whom(a.permissions()));
            }
        }
        return null;
    }

    /**
     * The first entry under {@code top} (itself included) that is not this user's alone to change, or
     * null. In a library folder the user gave ({@code linksFollowed}), links are normal (a system
     * libtorch's {@code libtorch.so} is one) and are judged by the chain to what they name; in DJL's
     * cache, which never holds one, a link is refused.
     */
    private static String tree(Path top, Object me, Path dir, boolean linksFollowed) throws IOException {
        try (Stream<Path> all = Files.walk(top)) {
            for (Path q : (Iterable<Path>) all::iterator) {
                PosixFileAttributes a = Files.readAttributes(q, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Object owner = Files.getAttribute(q, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink() && linksFollowed) {
                    String why = chain(q.toRealPath(), me, dir);
                    if (why != null) {
                        return why;
                    }
                    continue;
                }
                if (a.isSymbolicLink()) {
                    return "The PyTorch engine would load native code from " + dir + ", but " + q + " is a symbolic link, "
                            + "which DJL never makes and which could lead anywhere. Fix: remove it (`rm " + q + "`) so that "
                            + "DJL unpacks the library again, or set the environment variable DJL_CACHE_DIR to a new "
                            + "folder only you can write.";
                }
                if (!owner.equals(me) && !Integer.valueOf(0).equals(owner)) {
                    return refusal(dir, q, "belongs to another user (uid " + owner + ")");
                }
                if (writableByOthers(a.permissions())) {
                    return refusal(dir, q, "can be written by " + whom(a.permissions()));
                }
            }
        }
        return null;
    }

    private static boolean writableByOthers(Set<PosixFilePermission> perms) {
        return perms.stream().anyMatch(OTHERS_CAN_WRITE::contains);
    }

    private static String whom(Set<PosixFilePermission> perms) {
        return perms.contains(PosixFilePermission.OTHERS_WRITE) ? "every user" : "its group";
    }

    private static String refusal(Path dir, Path culprit, String why) {
        boolean mine = ThisUser.owns(culprit) && !Files.isSymbolicLink(culprit) && !culprit.equals(culprit.getRoot());
        boolean override = overrides().contains(dir);
        String fix = mine ? "`chmod go-w " + culprit + "` (it is yours), or " : "";
        fix += override ? "point PYTORCH_LIBRARY_PATH at a folder only you (or root) can write, or unset it to use "
                + "the libraries that come with IMAGINE"
                : "set the environment variable DJL_CACHE_DIR to a new folder inside your home (for example ~/.djl.ai)";
        return "The PyTorch engine would load native code from " + dir + ", but " + culprit + " " + why + ": someone else "
                + "could put a library there that IMAGINE would run. Fix: " + fix + ".";
    }

    /** Makes the missing folders down to {@code pytorch} private before DJL creates them with the user's umask. */
    private static void prepare(Path pytorch) {
        List<Path> missing = new ArrayList<>();
        for (Path q = pytorch; q != null && !Files.exists(q, LinkOption.NOFOLLOW_LINKS); q = q.getParent()) {
            missing.add(0, q);
        }
        try {
            for (Path q : missing) {
                Files.createDirectory(q, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // DJL makes them then, and the next start's check says what to fix
        }
    }

    /**
     * After the engine started: what DJL unpacked with the user's umask (group-writable under 002)
     * is made writable by this user alone, so the next start's check passes. Never throws.
     */
    static void tighten() {
        Path top = folder().resolve("pytorch");
        Object me = ThisUser.uid();
        if (me == null || !Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(top)) {
            for (Path q : (Iterable<Path>) all::iterator) {
                if (Files.isSymbolicLink(q) || !me.equals(Files.getAttribute(q, "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
                    continue;
                }
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(q, LinkOption.NOFOLLOW_LINKS);
                if (perms.removeAll(OTHERS_CAN_WRITE)) {
                    Files.setPosixFilePermissions(q, perms);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the next start's check says what to fix
        }
    }
}
