package imagine.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The command line's output with control characters taken out: file names and class labels come
 * from files anyone can write, and a terminal obeys escape sequences in them (clear the screen, set
 * the title, fake lines), and the bidirectional controls reorder what is shown (a name that reads
 * as another). Everything but tab, newline and carriage return below U+0020, DEL, the C1 controls
 * (U+0080 to U+009F) and the bidirectional controls (U+200E, U+200F, U+202A to U+202E, U+2066 to
 * U+2069) becomes '?'. The stream is UTF-8, as the command line writes it: a multi-byte character
 * is held until it is complete, then judged as a whole.
 */
final class PrintableOutput extends FilterOutputStream {

    private final byte[] pending = new byte[4];
    private int held;
    private int expected;

    private PrintableOutput(OutputStream out) {
        super(out);
    }

    /** {@code out} behind the filter, as a UTF-8 print stream. */
    static PrintStream wrap(OutputStream out) {
        return new PrintStream(new PrintableOutput(out), true, StandardCharsets.UTF_8);
    }

    /** {@code s} with its control characters (as above) replaced by '?'. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(control(c) ? '?' : c));
        return sb.toString();
    }

    static boolean control(int c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F) || c == 0x200E || c == 0x200F
                || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    @Override
    public void write(int b) throws IOException {
        int v = b & 0xFF;
        if (held > 0) {
            if ((v & 0xC0) == 0x80) {
                pending[held++] = (byte) v;
                if (held == expected) {
                    emitHeld();
                }
                return;
            }
            flushHeld(); // not a continuation: what was held was not UTF-8; passed on as it came
        }
        if (v < 0x80) {
            out.write(control(v) ? '?' : v);
        } else if (v >= 0xC2 && v <= 0xF4) {
            expected = v >= 0xF0 ? 4 : v >= 0xE0 ? 3 : 2;
            pending[0] = (byte) v;
            held = 1;
        } else {
            out.write(v);
        }
    }

    private void emitHeld() throws IOException {
        int c = new String(pending, 0, held, StandardCharsets.UTF_8).codePointAt(0);
        if (control(c)) {
            out.write('?');
        } else {
            out.write(pending, 0, held);
        }
        held = 0;
    }

    private void flushHeld() throws IOException {
        out.write(pending, 0, held);
        held = 0;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public void close() throws IOException {
        flushHeld();
        super.close();
    }
}
