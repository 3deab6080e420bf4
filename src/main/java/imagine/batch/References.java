package imagine.batch;

import imagine.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The references of a batch, in a stable order: the images of a folder by name, or the lines of a list file. */
public final class References {

    static final String IMAGE = ".*\\.(png|jpe?g|bmp|gif|tiff?)";

    private References() {}

    /**
     * A folder's images (png, jpg, bmp, gif, tif; sorted by name), or a text file naming one image
     * per line (relative to the list's folder; blank lines and lines starting with # are skipped).
     * Missing files named by a list, and links to nothing in a folder, stay in it: they become failed
     * rows, not the end of the job.
     */
    public static List<Path> of(Path dirOrList) {
        if (Files.isDirectory(dirOrList)) {
            return folder(dirOrList);
        }
        if (!Files.isRegularFile(dirOrList)) {
            throw new UserInputException("--references " + dirOrList + " is neither a folder of images nor a list file.");
        }
        if (dirOrList.getFileName().toString().toLowerCase(Locale.ROOT).matches(IMAGE)) {
            throw new UserInputException("--references " + dirOrList + " is an image; give a folder of images or a text file "
                    + "naming one image per line (for one image, use synthesize --reference).");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(dirOrList);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserInputException("--references " + dirOrList + " is not a text file; give a folder of images or a "
                    + "text file naming one image per line.");
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("Cannot read the list " + dirOrList + ": " + Writable.reason(e));
        }
        return listed(dirOrList, lines);
    }

    /** A folder's images by name; anything with an image's name but a folder, so a broken link becomes a failed row. */
    private static List<Path> folder(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> !Files.isDirectory(p)
                    && p.getFileName().toString().toLowerCase(Locale.ROOT).matches(IMAGE)).sorted().toList();
            if (files.isEmpty()) {
                throw new UserInputException("No images (png, jpg, bmp, gif, tif) in " + dir + ".");
            }
            return files;
        } catch (IOException e) {
            throw new UserInputException("Cannot list " + dir + ": " + e.getMessage());
        }
    }

    /** The images a list file's lines name, each once, relative to the list's folder. */
    private static List<Path> listed(Path list, List<String> lines) {
        List<Path> files = new ArrayList<>();
        int duplicates = 0;
        for (String line : lines) {
            String t = line.replace("\uFEFF", "").strip(); // a byte-order mark some editors put first
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            Path p;
            try {
                p = Path.of(t);
            } catch (java.nio.file.InvalidPathException e) {
                throw new UserInputException("The list " + list + " names '" + t + "', which is not a path.");
            }
            Path abs = p.isAbsolute() ? p.normalize() : list.toAbsolutePath().getParent().resolve(p).normalize();
            if (Files.isDirectory(abs)) {
                throw new UserInputException("The list " + list + " names " + abs + ", a folder; name image files, "
                        + "one per line (or give the folder itself as --references).");
            }
            // One run per reference: a file named twice would be a second task on the same output.
            if (files.contains(abs)) {
                duplicates++;
            } else {
                files.add(abs);
            }
        }
        if (files.isEmpty()) {
            throw new UserInputException("The list " + list + " names no images.");
        }
        if (duplicates > 0) {
            System.err.println("Note: the list " + list + " names " + duplicates + " image(s) more than once; each is "
                    + "made once.");
        }
        return files;
    }
}
