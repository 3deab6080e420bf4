package imagine.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * JSON from files a user was handed (model.json, metadata.json, a safetensors header) parsed
 * within limits: a size cap, and a nesting cap checked before Gson sees the text, because Gson
 * 2.11 (the version Fiji ships) parses nesting recursively and a file nested 100,000 levels deep
 * ends in a StackOverflowError instead of a message.
 */
public final class BoundedJson {

    /** Deeper than any model file needs (a TF.js layers model nests about 12 levels). */
    public static final int MAX_DEPTH = 64;

    private BoundedJson() {}

    /**
     * Parses {@code text}.
     *
     * @throws JsonParseException with a one-line message when it is too deep or not JSON
     */
    public static JsonElement parse(String text) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                if (++depth > MAX_DEPTH) {
                    throw new JsonParseException("nested deeper than " + MAX_DEPTH + " levels at character " + i);
                }
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        try {
            return JsonParser.parseString(text);
        } catch (JsonParseException | IllegalStateException e) {
            throw new JsonParseException(firstLine(e.getMessage()), e);
        }
    }

    /** Reads and parses a file of at most {@code maxBytes}. */
    public static JsonElement parse(java.nio.file.Path file, long maxBytes) throws java.io.IOException {
        long size = java.nio.file.Files.size(file);
        if (size > maxBytes) {
            throw new JsonParseException(file.getFileName() + " is " + size + " bytes, more than the " + maxBytes
                    + " such a file can be");
        }
        return parse(java.nio.file.Files.readString(file));
    }

    static String firstLine(String s) {
        if (s == null) {
            return "not JSON";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
