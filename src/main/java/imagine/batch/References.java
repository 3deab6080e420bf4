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
            try (Stream<Path> s = Files.list(dirOrList)) {
                // Anything with an image's name but a folder: a broken or looping link becomes a failed row that says so.
                List<Path> files = s.filter(p -> !Files.isDirectory(p)
                        && p.getFileName().toString().toLowerCase(Locale.ROOT).matches(IMAGE)).sorted().toList();
                if (files.isEmpty()) {
                    throw new UserInputException("No images (png, jpg, bmp, gif, tif) in " + dirOrList + ".");
                }
                return files;
            } catch (IOException e) {
                throw new UserInputException("Cannot list " + dirOrList + ": " + e.getMessage());
            }
        }
        if (!Files.isRegularFile(dirOrList)) {
            throw new UserInputException("--references " + dirOrList + " is neither a folder of images nor a list file.");
        }
        if (dirOrList.getFileName().toString().toLowerCase(Locale.ROOT).matches(IMAGE)) {
            throw new UserInputException("--references " + dirOrList + " is an image; give a folder of images or a text file "
                    + "naming one image per line (for one image, use synthesize --reference).");
        }
        List<Path> files = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(dirOrList);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserInputException("--references " + dirOrList + " is not a text file; give a folder of images or a "
                    + "text file naming one image per line.");
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("Cannot read the list " + dirOrList + ": " + Writable.reason(e));
        }
        int duplicates = 0;
        for (String line : lines) {
            String t = line.replace("\uFEFF", "").strip(); // a byte-order mark some editors put first
            if (!t.isEmpty() && !t.startsWith("#")) {
                Path p;
                try {
                    p = Path.of(t);
                } catch (java.nio.file.InvalidPathException e) {
                    throw new UserInputException("The list " + dirOrList + " names '" + t + "', which is not a path.");
                }
                Path abs = p.isAbsolute() ? p.normalize() : dirOrList.toAbsolutePath().getParent().resolve(p).normalize();
                if (Files.isDirectory(abs)) {
                    throw new UserInputException("The list " + dirOrList + " names " + abs + ", a folder; name image files, "
                            + "one per line (or give the folder itself as --references).");
                }
                // One run per reference: a file named twice would be a second task on the same output.
                if (files.contains(abs)) {
                    duplicates++;
                } else {
                    files.add(abs);
                }
            }
        }
        if (files.isEmpty()) {
            throw new UserInputException("The list " + dirOrList + " names no images.");
        }
        if (duplicates > 0) {
            System.err.println("Note: the list " + dirOrList + " names " + duplicates + " image(s) more than once; each is "
                    + "made once.");
        }
        return files;
    }
}
