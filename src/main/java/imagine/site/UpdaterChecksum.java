package imagine.site;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The checksum the ImageJ updater records for a file and compares with what is installed
 * (written by hand: the updater itself is not on Maven Central). A jar: SHA-1 over its entries
 * sorted by name, each entry's name (ASCII) then its content, where .properties files lose their
 * '#' comment lines (the newline stays) and META-INF/MANIFEST.MF keeps only lines whose
 * upper-cased form starts with "Main-Class:" (which, as in the updater, is none). Any other
 * file: SHA-1 of its path relative to the ImageJ folder (ASCII) then its bytes.
 */
public final class UpdaterChecksum {

    private UpdaterChecksum() {}

    public static String of(String relativePath, Path file) throws IOException {
        MessageDigest sha1 = sha1();
        if (relativePath.endsWith(".jar")) {
            try (JarFile jar = new JarFile(file.toFile())) {
                List<JarEntry> entries = new ArrayList<>(java.util.Collections.list(jar.entries()));
                entries.sort(Comparator.comparing(JarEntry::getName));
                for (JarEntry e : entries) {
                    sha1.update(e.getName().getBytes(StandardCharsets.US_ASCII));
                    byte[] content;
                    try (InputStream in = jar.getInputStream(e)) {
                        content = in.readAllBytes();
                    }
                    if (e.getName().endsWith(".properties")) {
                        content = skipHashedLines(content);
                    } else if (e.getName().equals("META-INF/MANIFEST.MF")) {
                        content = manifestMainClassOnly(content);
                    }
                    sha1.update(content);
                }
            }
        } else {
            sha1.update(relativePath.getBytes(StandardCharsets.US_ASCII));
            sha1.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(sha1.digest());
    }

    /**
     * A comment line ('#' at a line start) is read up to its newline and only the newline comes
     * out. The updater's state machine, kept step for step because its corner cases (a bare "#"
     * line leaves it believing it is mid-line) change the checksum.
     */
    static byte[] skipHashedLines(byte[] in) {
        HashedLineSkipper s = new HashedLineSkipper(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int ch = s.read(); ch >= 0; ch = s.read()) {
            out.write(ch);
        }
        return out.toByteArray();
    }

    private static final class HashedLineSkipper {
        private final byte[] in;
        private int pos;
        private boolean atLineStart = true;

        HashedLineSkipper(byte[] in) {
            this.in = in;
        }

        int read() {
            int ch = pos < in.length ? in[pos++] & 0xff : -1;
            if (atLineStart) {
                if (ch == '#') {
                    do {
                        ch = read();
                    } while (ch != '\n' && ch != -1);
                } else {
                    atLineStart = false;
                }
            } else if (ch == '\n') {
                atLineStart = true;
            }
            return ch;
        }
    }

    static byte[] manifestMainClassOnly(byte[] in) {
        StringBuilder kept = new StringBuilder();
        for (String line : new String(in, java.nio.charset.Charset.defaultCharset()).split("\r\n|\r|\n")) {
            if (line.toUpperCase(java.util.Locale.ROOT).startsWith("Main-Class:")) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString().getBytes(java.nio.charset.Charset.defaultCharset());
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
