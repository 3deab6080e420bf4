package imagine.batch;

import imagine.model.ThisUser;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A folder whose entries are read and removed without ever following a link: what a run removes
 * must lie inside its output folder, even where someone else can rename things in it. On Linux
 * and macOS every operation is relative to the open folder (Java's {@link SecureDirectoryStream}:
 * openat, unlinkat), and a sub-folder is entered only if it is a real folder at that moment; where
 * the platform has no such stream, each path is checked for links just before it is used.
 */
final class LinkFreeFolder implements Closeable {

    private final Path path;
    private final DirectoryStream<Path> stream;
    private final SecureDirectoryStream<Path> secure;

    private LinkFreeFolder(Path path, DirectoryStream<Path> stream) {
        this.path = path;
        this.stream = stream;
        this.secure = stream instanceof SecureDirectoryStream<Path> s ? s : null;
    }

    /** {@code dir} itself as the caller named it (the user's output folder). */
    static LinkFreeFolder open(Path dir) throws IOException {
        return new LinkFreeFolder(dir, Files.newDirectoryStream(dir));
    }

    /** The names in this folder. */
    List<String> names() throws IOException {
        List<String> out = new ArrayList<>();
        if (secure != null) {
            try (DirectoryStream<Path> again = secure.newDirectoryStream(Path.of("."), LinkOption.NOFOLLOW_LINKS)) {
                again.forEach(p -> out.add(p.getFileName().toString()));
            }
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(path)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }

    /** The sub-folder {@code name}, or null when it is not a real folder (a link, a file, nothing). */
    LinkFreeFolder child(String name) {
        try {
            if (secure != null) {
                return new LinkFreeFolder(path.resolve(name), secure.newDirectoryStream(Path.of(name),
                        LinkOption.NOFOLLOW_LINKS));
            }
            Path p = path.resolve(name);
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            return new LinkFreeFolder(p, Files.newDirectoryStream(p));
        } catch (IOException e) {
            return null; // ELOOP for a link, ENOTDIR for a file, ENOENT
        }
    }

    /** {@code name}'s own attributes (a link is not followed), or null when it is not there. */
    BasicFileAttributes attributes(String name) {
        try {
            if (secure != null) {
                return secure.getFileAttributeView(Path.of(name), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                        .readAttributes();
            }
            return Files.readAttributes(path.resolve(name), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@code name} belongs to this process's user (true where the file system has no owners). */
    boolean owned(String name) {
        try {
            UserPrincipal me = ThisUser.principal();
            if (secure != null) {
                PosixFileAttributeView v = secure.getFileAttributeView(Path.of(name), PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (v == null) {
                    return true;
                }
                return me != null && me.equals(v.readAttributes().owner());
            }
            return ThisUser.owns(path.resolve(name));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The regular file {@code name}'s content, opened without following a link. */
    InputStream read(String name) throws IOException {
        if (secure != null) {
            return Channels.newInputStream(secure.newByteChannel(Path.of(name),
                    Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)));
        }
        return Files.newInputStream(path.resolve(name), LinkOption.NOFOLLOW_LINKS);
    }

    /** Removes the file (or link) {@code name} of this folder; never anything it points to. */
    void deleteFile(String name) throws IOException {
        if (secure != null) {
            secure.deleteFile(Path.of(name));
        } else {
            Files.delete(path.resolve(name));
        }
    }

    /** Removes the empty real folder {@code name}; fails on anything else. */
    void deleteEmptyFolder(String name) throws IOException {
        if (secure != null) {
            secure.deleteDirectory(Path.of(name));
        } else if (Files.isDirectory(path.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(path.resolve(name));
        }
    }

    /** This folder's path as the caller reached it (for messages and results). */
    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
