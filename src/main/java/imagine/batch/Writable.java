package imagine.batch;

import imagine.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Outputs checked before any work: a run that can only fail at its end (a read-only folder, a
 * broken link, a path through a file) is refused at once, with the reason, instead of after
 * minutes of computing. The check writes and deletes a probe file, because permissions alone do
 * not tell (read-only mounts, quotas, ACLs).
 */
public final class Writable {

    private Writable() {}

    /**
     * Refuses a path that goes through a symbolic link another user owns (root aside): whoever
     * owns the link decides where the files go, and could send them into someone else's folder.
     * Linux's own protected_symlinks stops this only in sticky folders, and only where it is on.
     */
    static void refuseOthersLinks(Path path, String what) {
        Path p = path.toAbsolutePath().normalize();
        Path q = p.getRoot();
        for (Path part : p) {
            q = q == null ? part : q.resolve(part);
            if (Files.isSymbolicLink(q) && !imagine.model.ThisUser.owns(q) && !ownedByRoot(q)) {
                throw new UserInputException(what + " goes through " + q + ", a link of another user that could send the "
                        + "files anywhere: give a path without it (the folder it names, if that is where they should go).");
            }
        }
    }

    private static boolean ownedByRoot(Path link) {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(link, "unix:uid", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Refuses {@code dir} (named {@code option} in the message) unless files can be created in it or where it will be made. */
    public static void folder(Path dir, String option) {
        if (dir.toString().isBlank()) {
            throw new UserInputException(option + " is empty: give a folder.");
        }
        refuseOthersLinks(dir, option + " " + dir);
        if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
            throw new UserInputException(option + " " + dir + " is a broken symbolic link: give an existing folder or a new name.");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserInputException(option + " " + dir + " is a file; give a folder.");
        }
        probe(dir, option + " " + dir, null);
    }

    /** Refuses {@code file} unless it is new and can be created (it is created and deleted again to know). */
    public static void newFile(Path file, String option) {
        if (file.toString().isBlank()) {
            throw new UserInputException(option + " is empty: give a file name.");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserInputException(option + " " + file + " exists; give a new file name (nothing is overwritten).");
        }
        refuseOthersLinks(file, option + " " + file);
        Path parent = file.toAbsolutePath().getParent();
        if (Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new UserInputException(option + " " + file + ": " + parent + " is a file, not a folder.");
        }
        probe(parent, option + " " + file, file.getFileName().toString());
    }

    /**
     * Creates and deletes a file in {@code dir} (named {@code leaf} when given: the name itself may be
     * too long or not allowed), making the folders that do not exist yet and removing them again.
     */
    private static void probe(Path dir, String what, String leaf) {
        Path p = dir.toAbsolutePath().normalize();
        while (!Files.exists(p)) {
            p = p.getParent();
            if (p == null) {
                return;
            }
        }
        if (!Files.isDirectory(p)) {
            throw new UserInputException(what + " cannot be made: " + p + " is a file, not a folder.");
        }
        // The folders still to be made are made (to know their names are allowed) and removed again.
        java.util.List<Path> made = new java.util.ArrayList<>();
        try {
            Path q = p;
            for (Path part : p.relativize(dir.toAbsolutePath().normalize())) {
                if (part.toString().isEmpty()) {
                    continue;
                }
                q = Files.createDirectory(q.resolve(part));
                made.add(q);
            }
            Path probe = leaf == null ? Files.createTempFile(q, ".imagine-probe", ".tmp") : Files.createFile(q.resolve(leaf));
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new UserInputException(what + " cannot be written (" + reason(e) + " in " + p
                    + "): choose a folder you can write to.");
        } finally {
            for (int i = made.size() - 1; i >= 0; i--) {
                try {
                    Files.deleteIfExists(made.get(i));
                } catch (IOException e) {
                    // best effort: an empty folder at most
                }
            }
        }
    }

    /** The cause of an I/O failure in words ("No space left on device", "Permission denied"). */
    public static String reason(Throwable e) {
        Throwable t = e;
        String best = null;
        while (t != null) {
            String m = t.getMessage();
            if (t instanceof java.nio.file.AccessDeniedException) {
                return "permission denied";
            }
            if (t instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
                return fse.getReason();
            }
            if (m != null && !m.isBlank()) {
                best = m;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return best == null ? e.getClass().getSimpleName() : best;
    }
}
