package imagine.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The command line's output with control characters taken out: file names and class labels come
 * from files anyone can write, and a terminal obeys escape sequences in them (clear the screen, set
 * the title, fake lines). Everything but tab, newline and carriage return below 0x20, DEL, and the
 * C1 controls (U+0080 to U+009F, two bytes in UTF-8) becomes '?'. The stream is UTF-8, as the
 * command line writes it; a C1 lead byte is held until the next byte says what it starts.
 */
final class PrintableOutput extends FilterOutputStream {

    private static final int C1_LEAD = 0xC2;
    private boolean held;

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

    private static boolean control(int c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7F && c <= 0x9F);
    }

    @Override
    public void write(int b) throws IOException {
        int v = b & 0xFF;
        if (held) {
            held = false;
            if (v >= 0x80 && v <= 0x9F) {
                out.write('?');
                return;
            }
            out.write(C1_LEAD);
        }
        if (v == C1_LEAD) {
            held = true;
        } else {
            out.write(v < 0x80 && control(v) ? '?' : v);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush(); // a held lead byte waits for its second byte, which belongs to the same character
    }

    @Override
    public void close() throws IOException {
        if (held) {
            held = false;
            out.write(C1_LEAD);
        }
        super.close();
    }
}
