package imagine.batch;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A claimed output number and the record of what its run writes, kept in the claim file itself
 * ({@code .<first name>.claim}) so that a later run can tell this program's files from a user's:
 * <pre>
 * IMAGINE claim 2
 * token 3f9c...            every temporary is named .&lt;file&gt;.&lt;token&gt;.part
 * primary chelsea-001.json written last: once in place, the run is whole
 * owner 4242 1733... host  the process (see ProcessMark)
 * place /out (dev=..,ino=..) the claimed folder's path and identity
 * folder report-001        appended before the folder is made
 * file 2048 ab12... name   size and SHA-256, appended before the file is put in place
 * finished                 appended when the run closes the claim, just before removing it
 * </pre>
 * Names are URL-encoded and relative to the claimed folder. Closing the claim removes it: the
 * run's files are then the user's.
 */
public final class Claim implements AutoCloseable {

    static final String MAGIC = "IMAGINE claim 2";

    private final int number;
    private final Path dir;
    private final Path file;
    private final Object fileKey;
    private final SeekableByteChannel channel;
    private final String token;
    private final List<Path> cleaned;
    private final Map<Path, String> written = new LinkedHashMap<>();
    /** The identity of the claimed folder and of each folder made through the claim, as they were made. */
    private final Map<Path, Object> folderKeys = new LinkedHashMap<>();
    private final List<Path> folders = new ArrayList<>();
    private boolean closed;

    /**
     * @param fileKey the claim file's identity, to remove it only while it is still that file
     * @param channel the claim file, open for appending records: they go into this file even if
     *     someone renames it or puts a link in its place
     */
    Claim(int number, Path dir, Path file, Object fileKey, SeekableByteChannel channel, String token, List<Path> cleaned) {
        this.number = number;
        this.dir = dir.toAbsolutePath().normalize();
        this.file = file;
        this.fileKey = fileKey;
        this.channel = channel;
        this.token = token;
        this.cleaned = List.copyOf(cleaned);
        folderKeys.put(this.dir, key(this.dir));
    }

    static String header(String token, Path dir, Path primary) {
        // The folder the claim belongs to, by path and identity: a claim moved into another folder is not that folder's.
        return MAGIC + "\ntoken " + token + "\nprimary " + encode(relative(dir, primary)) + "\nowner " + ProcessMark.current()
                + "\nplace " + encode(dir) + " " + encode(Path.of(String.valueOf(key(dir)))) + "\n";
    }

    /** The claimed number. */
    public int number() {
        return number;
    }

    /** What killed runs had left in the folder and was removed before this number was claimed. */
    public List<Path> cleaned() {
        return cleaned;
    }

    /**
     * Writes the new file {@code target} (in the claimed folder or a folder made through this claim)
     * through a temporary, records its size and hash, and puts it in place; never over an existing
     * file.
     */
    public synchronized Path write(Path target, NumberedFiles.Content content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + token + ".part");
        checkFolder(target);
        // Only a temporary this call made is removed below: the exclusive create refuses a name someone else holds.
        OutputStream created = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW);
        try {
            MessageDigest sha = sha256();
            try (OutputStream out = new DigestOutputStream(created, sha)) {
                content.writeTo(out);
            }
            String stamp = Files.size(tmp) + " " + HexFormat.of().formatHex(sha.digest());
            record("file " + stamp + " " + encode(relative(dir, target)));
            written.put(target, stamp);
            checkFolder(target);
            return NumberedFiles.publish(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes the new folder {@code folder} (recorded first, so a kill cannot leave it unaccounted for). */
    public synchronized Path folder(Path folder) throws IOException {
        checkFolder(folder);
        record("folder " + encode(relative(dir, folder)));
        folders.add(folder);
        Path made = Files.createDirectory(folder);
        folderKeys.put(made.toAbsolutePath().normalize(), key(made));
        return made;
    }

    /**
     * Removes these files, written through this claim and unchanged since (others are left alone),
     * reached from the claimed folder without following links.
     */
    public synchronized void discard(Collection<Path> files) {
        try (LinkFreeFolder root = LinkFreeFolder.open(dir)) {
            for (Path f : files) {
                String stamp = written.get(f);
                if (stamp != null) {
                    StaleClaims.removeIfSame(root, relative(dir, f), stamp);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the caller reports what went wrong
        }
    }

    /** Removes everything written through this claim (files, then the folders it made, if empty) and releases it. */
    public synchronized void discardAll() {
        discard(List.copyOf(written.keySet()));
        try (LinkFreeFolder root = LinkFreeFolder.open(dir)) {
            StaleClaims.removeEmptyFolders(root, folders.stream().map(f -> relative(dir, f)).toList());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        close();
    }

    /** Releases the number: the run's files are complete and are the user's from now on. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            try {
                record("finished");
            } catch (IOException full) {
                // a full disk: removing the claim below is what matters
            }
            channel.close();
            // Only while the name is still this claim's file: not a link or another file put in its place.
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (fileKey == null || fileKey.equals(now.fileKey())) {
                Files.deleteIfExists(file);
            }
        } catch (java.nio.file.NoSuchFileException gone) {
            // removed by someone else: nothing to do
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + file + ": " + Writable.reason(e), e);
        }
    }

    private void record(String line) throws IOException {
        // One short write per line, appended through the open file: a kill leaves at most the last line cut short.
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /**
     * Refuses to write into a folder of this claim that is no longer the folder it was (renamed
     * away, a link put in its place by someone who can write the folder around it): nothing is
     * written through a link into another folder.
     */
    private void checkFolder(Path target) throws IOException {
        Path parent = target.toAbsolutePath().normalize().getParent();
        Object expected = folderKeys.get(parent);
        if (expected != null && !expected.equals(key(parent))) {
            throw new IOException("The folder " + parent + " was replaced while this run was writing into it (renamed, or "
                    + "a link put in its place); nothing was written there. Write into a folder only you can change.");
        }
    }

    /** A folder's identity (device and inode): a link in its place, or another folder, has another. */
    static Object key(Path folder) {
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(folder,
                    java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isDirectory() ? (a.fileKey() != null ? a.fileKey() : "folder") : "not a folder";
        } catch (IOException e) {
            return "gone";
        }
    }

    /** {@code p} relative to the claimed folder {@code dir} (absolute, normalized); refused outside it. */
    static Path relative(Path dir, Path p) {
        Path r = dir.relativize(p.toAbsolutePath().normalize());
        if (r.toString().isEmpty() || r.startsWith("..")) {
            throw new IllegalArgumentException(p + " is not inside the claimed folder " + dir);
        }
        return r;
    }

    static String encode(Path relative) {
        return URLEncoder.encode(relative.toString(), StandardCharsets.UTF_8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java has SHA-256
        }
    }
}
