package imagine.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a {@code .safetensors} file (8-byte little-endian header length, a JSON header of
 * {@code name: {dtype, shape, data_offsets}}, then the raw data). A data-only format: nothing in
 * it can execute, unlike PyTorch's pickled {@code .pth}. Written here rather than with DJL's
 * decoder so every declared size is checked against the file before anything is allocated.
 */
public final class SafeTensors {

    /** Headers are a few hundred kB even for large models. */
    static final long MAX_HEADER = 64L << 20;
    /** Java arrays: at most 2^31-1 floats per tensor. */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private SafeTensors() {}

    public static Map<String, Tensor> read(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw bad(file, "it has " + size + " bytes, fewer than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 1 || headerLen > MAX_HEADER || headerLen > size - 8) {
                throw bad(file, "it declares a header of " + headerLen + " bytes in a file of " + size);
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonObject header;
            try {
                header = BoundedJson.parse(new String(hb.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (RuntimeException e) {
                throw bad(file, "its header is not a JSON object (" + e.getMessage() + ")");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                out.put(e.getKey(), tensor(file, ch, e.getKey(), e.getValue(), dataStart, dataLen));
            }
            return out;
        } catch (IOException e) {
            throw new ModelException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Tensor tensor(Path file, FileChannel ch, String name, JsonElement spec, long dataStart, long dataLen)
            throws IOException {
        long[] shape;
        long begin;
        long end;
        String dtype;
        try {
            JsonObject o = spec.getAsJsonObject();
            dtype = o.get("dtype").getAsString();
            var dims = o.getAsJsonArray("shape");
            shape = new long[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.get(i).getAsLong();
            }
            var offs = o.getAsJsonArray("data_offsets");
            begin = offs.get(0).getAsLong();
            end = offs.get(1).getAsLong();
        } catch (RuntimeException ex) {
            throw bad(file, "the header entry of '" + name + "' is malformed (" + ex.getMessage() + ")");
        }
        if (!dtype.equals("F32")) {
            throw bad(file, "tensor '" + name + "' has dtype " + dtype + "; only F32 is supported (use the float32 copy)");
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0 || (d > 0 && n > MAX_VALUES / d)) {
                throw bad(file, "tensor '" + name + "' declares the impossible shape " + java.util.Arrays.toString(shape));
            }
            n *= d;
        }
        if (begin < 0 || end < begin || end > dataLen || end - begin != n * 4) {
            throw bad(file, "tensor '" + name + "' declares bytes " + begin + ".." + end + " for " + n
                    + " floats in a data section of " + dataLen + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) (n * 4)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, buf, dataStart + begin);
        float[] v = new float[(int) n];
        buf.flip().asFloatBuffer().get(v);
        return new Tensor(name, shape, v);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int k = ch.read(b, pos + b.position());
            if (k < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static ModelException bad(Path file, String why) {
        return new ModelException(file + " is not a usable safetensors file: " + why + ". Replace it with a complete copy.");
    }
}
