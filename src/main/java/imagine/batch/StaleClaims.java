package imagine.batch;

import imagine.model.ThisUser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Removes what killed runs left in an output folder, and nothing else. A claim is acted on only when
 * this user owns it, it is in the format {@link Claim} writes, and the process it names is gone
 * (on another host: a day after its last change). Then, unless the run had finished, exactly the
 * files it recorded are removed, each only while it is a regular file of this user with the recorded
 * size and SHA-256; its temporaries (which carry its random token); and the folders it made, only
 * when empty. Never a folder with anything in it, never a file by its name alone. An empty claim
 * (a kill between creating and writing it) is removed after a minute.
 */
final class StaleClaims {

    private static final long DAY_MS = 86_400_000L;
    private static final long EMPTY_CLAIM_MS = 60_000L;
    private static final long MAX_CLAIM_BYTES = 1 << 20;

    private StaleClaims() {}

    /** What a claim file says. */
    private record Parsed(String token, Path primary, String owner, List<Path> folders, Map<Path, String> files,
            boolean finished) {}

    /** Cleans {@code dir}; returns what was removed. Never throws: a folder that cannot be read is left as it is. */
    static List<Path> clean(Path folder) {
        Path dir = folder.toAbsolutePath().normalize();
        List<Path> removed = new ArrayList<>();
        List<Path> claims;
        try (Stream<Path> s = Files.list(dir)) {
            claims = s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(".") && n.endsWith(".claim") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
            }).sorted().toList();
        } catch (IOException | RuntimeException e) {
            return removed; // the write that follows fails with its reason
        }
        for (Path claim : claims) {
            try {
                cleanOne(dir, claim, removed);
            } catch (IOException | RuntimeException e) {
                // this claim is left; the others are still looked at
            }
        }
        return removed;
    }

    private static void cleanOne(Path dir, Path claim, List<Path> removed) throws IOException {
        if (!ThisUser.owns(claim)) {
            return; // another user's file: never acted upon
        }
        long age = System.currentTimeMillis() - Files.getLastModifiedTime(claim, LinkOption.NOFOLLOW_LINKS).toMillis();
        if (Files.size(claim) == 0) {
            if (age > EMPTY_CLAIM_MS) {
                Files.delete(claim);
                removed.add(claim);
            }
            return;
        }
        Parsed c = parse(dir, claim);
        if (c == null || !ProcessMark.gone(c.owner()).orElse(age > DAY_MS)) {
            return; // not this program's claim, or its run may still be going
        }
        removeTemporaries(dir, c, removed);
        boolean whole = c.finished() || (c.files().containsKey(c.primary()) && same(c.primary(), c.files().get(c.primary())));
        if (!whole) {
            for (var f : c.files().entrySet()) {
                if (removeIfSame(f.getKey(), f.getValue())) {
                    removed.add(f.getKey());
                }
            }
            removed.addAll(removeEmptyFolders(c.folders()));
        }
        Files.delete(claim);
        removed.add(claim);
    }

    private static Parsed parse(Path dir, Path claim) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(claim, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) MAX_CLAIM_BYTES + 1);
        }
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        if (bytes.length > MAX_CLAIM_BYTES || lines.isEmpty() || !lines.get(0).equals(Claim.MAGIC)) {
            return null;
        }
        String token = null;
        String owner = null;
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
                case "primary" -> primary = inside(dir, rest);
                case "folder" -> {
                    Path f = inside(dir, rest);
                    if (f != null) {
                        folders.add(f);
                    }
                }
                case "file" -> {
                    String[] v = rest.split(" ", 3);
                    Path f = v.length == 3 && v[0].matches("\\d{1,19}") && v[1].matches("[0-9a-f]{64}") ? inside(dir, v[2])
                            : null;
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
        return token == null || owner == null || primary == null ? null
                : new Parsed(token, primary, owner, folders, files, finished);
    }

    /** A recorded name as a path strictly inside {@code dir}, or null for anything else. */
    private static Path inside(Path dir, String encoded) {
        try {
            Path p = dir.resolve(URLDecoder.decode(encoded, StandardCharsets.UTF_8)).normalize();
            return p.startsWith(dir) && !p.equals(dir) && !encoded.isEmpty() ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The claim's temporaries in its folder and the folders it made: {@code .<name>.<token>.part}, this user's. */
    private static void removeTemporaries(Path dir, Parsed c, List<Path> removed) {
        List<Path> places = new ArrayList<>(c.folders());
        places.add(0, dir);
        for (Path place : places) {
            if (!Files.isDirectory(place, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try (Stream<Path> s = Files.list(place)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(".") && n.endsWith("." + c.token() + ".part")
                            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && ThisUser.owns(p)) {
                        Files.delete(p);
                        removed.add(p);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // left as it is
            }
        }
    }

    /** Removes {@code f} if it is still what a claim recorded ("size sha256"): a regular file of this user with that content. */
    static boolean removeIfSame(Path f, String stamp) {
        try {
            if (same(f, stamp)) {
                Files.delete(f);
                return true;
            }
        } catch (IOException | RuntimeException e) {
            // left as it is
        }
        return false;
    }

    private static boolean same(Path f, String stamp) {
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !ThisUser.owns(f)
                    || !stamp.startsWith(Files.size(f) + " ")) {
                return false;
            }
            MessageDigest sha = Claim.sha256();
            try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buf = new byte[1 << 16];
                for (int k = in.read(buf); k >= 0; k = in.read(buf)) {
                    sha.update(buf, 0, k);
                }
            }
            return stamp.endsWith(" " + java.util.HexFormat.of().formatHex(sha.digest()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Removes those of {@code folders} that are empty real folders of this user, deepest first; returns them. */
    static List<Path> removeEmptyFolders(List<Path> folders) {
        List<Path> removed = new ArrayList<>();
        for (Path f : folders.stream().sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList()) {
            try {
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) && ThisUser.owns(f)) {
                    Files.delete(f); // refuses a folder with anything in it
                    removed.add(f);
                }
            } catch (DirectoryNotEmptyException kept) {
                // something else is in it now: it stays
            } catch (IOException | RuntimeException e) {
                // left as it is
            }
        }
        return removed;
    }
}
