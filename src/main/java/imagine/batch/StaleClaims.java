package imagine.batch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes what killed runs left in an output folder, and nothing else. A claim is acted on only when
 * this user owns it, it is in the format {@link Claim} writes, and the process it names is gone
 * (on another host: a day after its last change). Then, unless the run had finished, exactly the
 * files it recorded are removed, each only while it is a regular file of this user with the recorded
 * size and SHA-256; its temporaries (which carry its random token); and the folders it made, only
 * when empty. Never a folder with anything in it, never a file by its name alone, and never through
 * a link: every path is walked from the output folder with {@link LinkFreeFolder}, so a recorded
 * folder replaced by a link to somewhere else leads nowhere. An empty claim (a kill between
 * creating and writing it) is removed after a minute.
 */
final class StaleClaims {

    private static final long DAY_MS = 86_400_000L;
    private static final long EMPTY_CLAIM_MS = 60_000L;
    private static final long MAX_CLAIM_BYTES = 1 << 20;

    private StaleClaims() {}

    /** What a claim file says; paths relative to the claimed folder. */
    private record Parsed(String token, Path primary, String owner, String place, List<Path> folders,
            Map<Path, String> files, boolean finished) {}

    /** Cleans {@code folder}; returns what was removed. Never throws: a folder that cannot be read is left as it is. */
    static List<Path> clean(Path folder) {
        Path dir = folder.toAbsolutePath().normalize();
        List<Path> removed = new ArrayList<>();
        try (LinkFreeFolder root = LinkFreeFolder.open(dir)) {
            for (String name : root.names().stream().sorted().toList()) {
                if (name.startsWith(".") && name.endsWith(".claim")) {
                    try {
                        cleanOne(root, name, removed);
                    } catch (IOException | RuntimeException e) {
                        // this claim is left; the others are still looked at
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the write that follows fails with its reason
        }
        return removed;
    }

    private static void cleanOne(LinkFreeFolder root, String name, List<Path> removed) throws IOException {
        BasicFileAttributes a = root.attributes(name);
        if (a == null || !a.isRegularFile() || !root.owned(name)) {
            return; // a link, a folder, or another user's file: never acted upon
        }
        long age = System.currentTimeMillis() - a.lastModifiedTime().toMillis();
        Path claim = root.path().resolve(name);
        if (a.size() == 0) {
            if (age > EMPTY_CLAIM_MS) {
                root.deleteFile(name);
                removed.add(claim);
            }
            return;
        }
        Parsed c = parse(root, name);
        if (c == null || !ProcessMark.gone(c.owner()).orElse(age > DAY_MS) || !c.place().equals(place(root.path()))) {
            return; // not this program's claim, its run may still be going, or it was made in another folder
        }
        removeTemporaries(root, c, removed);
        boolean whole = c.finished() || (c.files().containsKey(c.primary()) && same(root, c.primary(), c.files().get(c.primary())));
        if (!whole) {
            for (var f : c.files().entrySet()) {
                if (removeIfSame(root, f.getKey(), f.getValue())) {
                    removed.add(root.path().resolve(f.getKey()));
                }
            }
            removed.addAll(removeEmptyFolders(root, c.folders()));
        }
        root.deleteFile(name);
        removed.add(claim);
    }

    private static Parsed parse(LinkFreeFolder root, String name) throws IOException {
        byte[] bytes;
        try (InputStream in = root.read(name)) {
            bytes = in.readNBytes((int) MAX_CLAIM_BYTES + 1);
        }
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        if (bytes.length > MAX_CLAIM_BYTES || lines.isEmpty() || !lines.get(0).equals(Claim.MAGIC)) {
            return null;
        }
        String token = null;
        String owner = null;
        String place = null;
        Path primary = null;
        List<Path> folders = new ArrayList<>();
        Map<Path, String> files = new LinkedHashMap<>();
        boolean finished = false;
        for (String line : lines.subList(1, lines.size())) {
            String[] w = line.split(" ", 2);
            String rest = w.length > 1 ? w[1] : "";
            switch (w[0]) {
                case "token" -> token = rest.matches("[0-9a-f]{16}") ? rest : null;
                case "owner" -> owner = rest;
                case "place" -> place = rest;
                case "primary" -> primary = relative(rest);
                case "folder" -> {
                    Path f = relative(rest);
                    if (f != null) {
                        folders.add(f);
                    }
                }
                case "file" -> {
                    String[] v = rest.split(" ", 3);
                    Path f = v.length == 3 && v[0].matches("\\d{1,19}") && v[1].matches("[0-9a-f]{64}") ? relative(v[2]) : null;
                    if (f != null) {
                        files.put(f, v[0] + " " + v[1]);
                    }
                }
                case "finished" -> finished = true;
                default -> {
                    // a line cut short by a kill: ignored
                }
            }
        }
        return token == null || owner == null || primary == null || place == null ? null
                : new Parsed(token, primary, owner, place, folders, files, finished);
    }

    /** How a claim names the folder it was made in: its path and identity (see {@link Claim#header}). */
    private static String place(Path dir) {
        return Claim.encode(dir) + " " + Claim.encode(Path.of(String.valueOf(Claim.key(dir))));
    }

    /** A recorded name as a path strictly inside the claimed folder (relative, no "..", not empty), or null. */
    static Path relative(String encoded) {
        try {
            Path p = Path.of(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).normalize();
            return encoded.isEmpty() || p.isAbsolute() || p.toString().isEmpty() || p.startsWith("..") ? null : p;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The folder that holds {@code rel}, walked to from {@code root} without following links; null when it is not there. */
    private static LinkFreeFolder parentOf(LinkFreeFolder root, Path rel) {
        LinkFreeFolder f = root;
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            LinkFreeFolder next = f.child(rel.getName(i).toString());
            if (f != root) {
                closeQuietly(f);
            }
            if (next == null) {
                return null;
            }
            f = next;
        }
        return f;
    }

    private static void closeQuietly(LinkFreeFolder f) {
        try {
            f.close();
        } catch (IOException e) {
            // a read-only handle
        }
    }

    /** The claim's temporaries in its folder and the folders it made: {@code .<name>.<token>.part}, this user's. */
    private static void removeTemporaries(LinkFreeFolder root, Parsed c, List<Path> removed) {
        List<Path> places = new ArrayList<>(c.folders());
        places.add(0, null);
        for (Path place : places) {
            LinkFreeFolder f = place == null ? root : parentOf(root, place.resolve("x"));
            if (f == null) {
                continue;
            }
            try {
                for (String n : f.names()) {
                    BasicFileAttributes a = f.attributes(n);
                    if (n.startsWith(".") && n.endsWith("." + c.token() + ".part") && a != null && a.isRegularFile()
                            && f.owned(n)) {
                        f.deleteFile(n);
                        removed.add(f.path().resolve(n));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // left as it is
            } finally {
                if (f != root) {
                    closeQuietly(f);
                }
            }
        }
    }

    /** Removes {@code rel} if it is still what a claim recorded ("size sha256"): a regular file of this user with that content. */
    static boolean removeIfSame(LinkFreeFolder root, Path rel, String stamp) {
        LinkFreeFolder f = parentOf(root, rel);
        if (f == null) {
            return false;
        }
        try {
            String name = rel.getFileName().toString();
            if (sameIn(f, name, stamp)) {
                f.deleteFile(name);
                return true;
            }
        } catch (IOException | RuntimeException e) {
            // left as it is
        } finally {
            if (f != root) {
                closeQuietly(f);
            }
        }
        return false;
    }

    private static boolean same(LinkFreeFolder root, Path rel, String stamp) {
        LinkFreeFolder f = parentOf(root, rel);
        if (f == null) {
            return false;
        }
        try {
            return sameIn(f, rel.getFileName().toString(), stamp);
        } finally {
            if (f != root) {
                closeQuietly(f);
            }
        }
    }

    private static boolean sameIn(LinkFreeFolder f, String name, String stamp) {
        BasicFileAttributes a = f.attributes(name);
        if (a == null || !a.isRegularFile() || !f.owned(name) || !stamp.startsWith(a.size() + " ")) {
            return false;
        }
        MessageDigest sha = Claim.sha256();
        try (InputStream in = f.read(name)) {
            byte[] buf = new byte[1 << 16];
            for (int k = in.read(buf); k >= 0; k = in.read(buf)) {
                sha.update(buf, 0, k);
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return stamp.endsWith(" " + HexFormat.of().formatHex(sha.digest()));
    }

    /** Removes those of {@code folders} that are empty real folders of this user, deepest first; returns them. */
    static List<Path> removeEmptyFolders(LinkFreeFolder root, List<Path> folders) {
        List<Path> removed = new ArrayList<>();
        for (Path rel : folders.stream().sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList()) {
            LinkFreeFolder f = parentOf(root, rel);
            if (f == null) {
                continue;
            }
            try {
                String name = rel.getFileName().toString();
                BasicFileAttributes a = f.attributes(name);
                if (a != null && a.isDirectory() && f.owned(name)) {
                    f.deleteEmptyFolder(name); // refuses a folder with anything in it
                    removed.add(root.path().resolve(rel));
                }
            } catch (IOException | RuntimeException e) {
                // something else is in it now, or it went: it stays as it is
            } finally {
                if (f != root) {
                    closeQuietly(f);
                }
            }
        }
        return removed;
    }
}
