package imagine.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a TensorFlow.js <em>layers</em> model: {@code model.json} (a Keras functional topology
 * plus a weights manifest) and the binary shard files it names. Nothing on Maven Central reads
 * this format into Java, so it is written here; it only parses JSON and little-endian floats and
 * never executes anything from the model folder.
 */
public final class TfjsModel {

    /** One Keras layer: its class, name, config and the names of the layers feeding it. */
    public record Layer(String className, String name, JsonObject config, List<String> inputs) {}

    /** Larger than any tensor of the supported models by far; refuses absurd headers before allocating. */
    static final long MAX_TENSOR_VALUES = 200_000_000L;

    private final Path folder;
    private final List<Layer> layers;
    private final String outputLayer;
    private final Map<String, Tensor> weights;

    private TfjsModel(Path folder, List<Layer> layers, String outputLayer, Map<String, Tensor> weights) {
        this.folder = folder;
        this.layers = layers;
        this.outputLayer = outputLayer;
        this.weights = weights;
    }

    public Path folder() {
        return folder;
    }

    public List<Layer> layers() {
        return layers;
    }

    public String outputLayer() {
        return outputLayer;
    }

    public Map<String, Tensor> weights() {
        return weights;
    }

    public Tensor weight(String name) {
        Tensor t = weights.get(name);
        if (t == null) {
            throw new ModelException("The weights in " + folder + " lack the tensor '" + name
                    + "'. The model folder is incomplete or belongs to another model: replace it with a complete copy.");
        }
        return t;
    }

    /** Reads {@code folder/model.json} and every weight file it lists. */
    public static TfjsModel read(Path folder) {
        Path json = folder.resolve("model.json");
        if (!Files.isRegularFile(json)) {
            throw new ModelException("No model.json in " + folder.toAbsolutePath()
                    + ". Point the models folder at a folder holding the model's files.");
        }
        JsonObject root;
        try {
            root = BoundedJson.parse(json, 64L << 20).getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new ModelException("Cannot read " + json + " (" + e.getMessage()
                    + "). The file is damaged: replace it with a fresh copy.", e);
        }
        try {
            JsonObject config = root.getAsJsonObject("modelTopology").getAsJsonObject("model_config")
                    .getAsJsonObject("config");
            List<Layer> layers = parseLayers(config.getAsJsonArray("layers"));
            String output = config.getAsJsonArray("output_layers").get(0).getAsJsonArray().get(0).getAsString();
            Map<String, Tensor> weights = readWeights(folder, root.getAsJsonArray("weightsManifest"));
            return new TfjsModel(folder, layers, output, weights);
        } catch (NullPointerException | ClassCastException | IllegalStateException | IndexOutOfBoundsException
                | UnsupportedOperationException | NumberFormatException | java.nio.file.InvalidPathException e) {
            // Gson's typed getters throw these on a value of the wrong kind (found by fuzzing).
            throw new ModelException(json + " is not a TensorFlow.js layers model (" + e
                    + "). Replace it with a complete copy of the model.", e);
        }
    }

    private static List<Layer> parseLayers(JsonArray array) {
        List<Layer> layers = new ArrayList<>();
        for (JsonElement e : array) {
            JsonObject o = e.getAsJsonObject();
            List<String> inputs = new ArrayList<>();
            JsonArray nodes = o.getAsJsonArray("inbound_nodes");
            if (nodes != null && nodes.size() > 0) {
                for (JsonElement in : nodes.get(0).getAsJsonArray()) {
                    inputs.add(in.getAsJsonArray().get(0).getAsString());
                }
            }
            layers.add(new Layer(o.get("class_name").getAsString(), o.get("name").getAsString(),
                    o.getAsJsonObject("config"), List.copyOf(inputs)));
        }
        return List.copyOf(layers);
    }

    private static Map<String, Tensor> readWeights(Path folder, JsonArray manifest) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Path base = folder.toAbsolutePath().normalize();
        for (JsonElement g : manifest) {
            JsonObject group = g.getAsJsonObject();
            // Shards of one group are one byte stream, split across files.
            List<Path> files = new ArrayList<>();
            long available = 0;
            for (JsonElement p : group.getAsJsonArray("paths")) {
                Path file = resolveInside(base, p.getAsString());
                if (!Files.isRegularFile(file)) {
                    throw new ModelException("The weight file " + file + " is missing. Copy the complete model folder again.");
                }
                try {
                    available += Files.size(file);
                } catch (IOException e) {
                    throw new ModelException("Cannot read " + file + ": " + e.getMessage(), e);
                }
                files.add(file);
            }
            long needed = 0;
            List<JsonObject> specs = new ArrayList<>();
            for (JsonElement w : group.getAsJsonArray("weights")) {
                JsonObject spec = w.getAsJsonObject();
                String dtype = spec.has("dtype") ? spec.get("dtype").getAsString() : "float32";
                String name = spec.get("name").getAsString();
                if (!dtype.equals("float32")) {
                    throw new ModelException("Tensor '" + name + "' has dtype " + dtype
                            + "; only float32 weights are supported. Use the float32 copy of the model.");
                }
                if (spec.has("quantization")) {
                    throw new ModelException("Tensor '" + name + "' is quantized; use the float32 copy of the model.");
                }
                long[] shape = shapeOf(name, spec.getAsJsonArray("shape"));
                needed += Tensor.numel(shape) * 4;
                specs.add(spec);
            }
            if (available != needed) {
                throw new ModelException("The weight files " + files + " hold " + available + " bytes but the manifest needs "
                        + needed + " (truncated or wrong file). Copy the complete model folder again.");
            }
            ByteBuffer bytes = readAll(files, (int) needed).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonObject spec : specs) {
                String name = spec.get("name").getAsString();
                long[] shape = shapeOf(name, spec.getAsJsonArray("shape"));
                float[] data = new float[(int) Tensor.numel(shape)];
                bytes.asFloatBuffer().get(data);
                bytes.position(bytes.position() + data.length * 4);
                for (float v : data) {
                    if (!Float.isFinite(v)) {
                        throw new ModelException("Tensor '" + name + "' in " + files
                                + " contains NaN or infinite values; the file is damaged. Copy the model again.");
                    }
                }
                out.put(name, new Tensor(name, shape, data));
            }
        }
        return out;
    }

    static long[] shapeOf(String name, JsonArray dims) {
        long[] shape = new long[dims.size()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).getAsLong();
            if (shape[i] <= 0 || shape[i] > MAX_TENSOR_VALUES) {
                throw new ModelException("Tensor '" + name + "' declares the shape " + dims + ", which is impossible.");
            }
            n *= shape[i];
            if (n > MAX_TENSOR_VALUES) {
                throw new ModelException("Tensor '" + name + "' declares the shape " + dims + " (" + n
                        + "+ values), far larger than any supported model; refusing it.");
            }
        }
        return shape;
    }

    /** Manifest paths are relative to the model folder; anything leaving it is refused. */
    static Path resolveInside(Path base, String relative) {
        Path p = base.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !p.startsWith(base)) {
            throw new ModelException("The weights manifest names the path '" + relative
                    + "', which lies outside the model folder; refusing to read it.");
        }
        return p;
    }

    private static ByteBuffer readAll(List<Path> files, int size) {
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                buf.put(in.readAllBytes());
            } catch (IOException e) {
                throw new ModelException("Cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        return buf.flip();
    }

    @Override
    public String toString() {
        return "TfjsModel[" + folder + ", " + layers.size() + " layers, " + weights.size() + " tensors]";
    }
}
