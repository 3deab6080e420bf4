package imagine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java ResNet-50 against torchvision's on the same random weights (saved as safetensors) and
 * the same input: logits and layer2 agree. The fixture comes from Debian's python3-torch and
 * python3-torchvision (.ci/run installs them); nothing is downloaded or committed.
 */
class ResNet50EquivalenceTest {

    static final String PYTHON = "/usr/bin/python3";

    static boolean torchAvailable() throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON, "-c", "import torch, torchvision").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    static float[] floats(Path f) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    @Test
    void matchesTorchvision(@TempDir Path dir) throws Exception {
        imagine.TestTools.requireTorchvision(torchAvailable());
        Path script = dir.resolve("fixture.py");
        try (InputStream in = getClass().getResourceAsStream("resnet50_fixture.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), dir.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        Map<String, Tensor> w = SafeTensors.read(dir.resolve("model.safetensors"));
        List<String> labels = new ArrayList<>(Collections.nCopies(1000, "x"));
        float[] input = floats(dir.resolve("input.bin"));
        float[] want = floats(dir.resolve("logits.bin"));
        float[] want2 = floats(dir.resolve("layer2.bin"));
        try (ResNet50 net = ResNet50.build("resnet50", w, labels, List.of("stem", "layer1", "layer2", "layer3"),
                InputSpec.IMAGENET, ai.djl.Device.cpu());
                NDManager m = NDManager.newBaseManager()) {
            Features f = net.forward(m.create(input, new Shape(2, 3, 96, 128)), Set.of("layer2"));
            float[] got = f.logits().toFloatArray();
            float[] got2 = f.tap("layer2").toFloatArray();
            assertEquals(want.length, got.length);
            assertEquals(want2.length, got2.length, "layer2 is (2, 512, 12, 16)");
            double diff = 0;
            double scale = 0;
            for (int i = 0; i < got.length; i++) {
                diff = Math.max(diff, Math.abs(got[i] - want[i]));
                scale = Math.max(scale, Math.abs(want[i]));
            }
            double diff2 = 0;
            double scale2 = 0;
            for (int i = 0; i < got2.length; i++) {
                diff2 = Math.max(diff2, Math.abs(got2[i] - want2[i]));
                scale2 = Math.max(scale2, Math.abs(want2[i]));
            }
            System.out.printf("ResNet-50 vs torchvision (%s): logits max abs diff %.3g (max |logit| %.3g), layer2 %.3g (max %.3g)%n",
                    log.trim(), diff, scale, diff2, scale2);
            assertTrue(diff <= 1e-4 * Math.max(1, scale), "logits differ by " + diff);
            assertTrue(diff2 <= 1e-4 * Math.max(1, scale2), "layer2 differs by " + diff2);
            // The per-location head averages to the logits (what position control reads).
            Features f4 = net.forward(m.create(input, new Shape(2, 3, 96, 128)), Set.of("layer4"));
            ai.djl.ndarray.NDArray cam = net.evidenceMap(f4.tap("layer4"));
            float[] pooled = cam.reshape(2, 1000, -1).mean(new int[] {2}).toFloatArray();
            for (int i = 0; i < pooled.length; i++) {
                assertEquals(got[i], pooled[i], 1e-3 * Math.max(1, scale));
            }
        }
        // Through the model store, as the product loads it, then a short controlled synthesis on it.
        Path models = dir.resolve("models");
        Files.createDirectories(models.resolve("resnet50"));
        Files.copy(dir.resolve("model.safetensors"), models.resolve("resnet50/model.safetensors"));
        try (Backbone b = new ModelStore(models).load("resnet50", ai.djl.Device.cpu())) {
            assertTrue(b.labels().get(0).startsWith("tench"), "bundled ImageNet labels");
            assertEquals(16, b.tapStride("layer3"));
            imagine.image.RgbImage ref = new imagine.image.RgbImage(64, 48, input.clone().length >= 3 * 64 * 48
                    ? java.util.Arrays.copyOf(input, 3 * 64 * 48) : new float[3 * 64 * 48]);
            var cfg = imagine.config.ImagineConfig.preset(imagine.config.ImagineConfig.Preset.FAST).size(64, 64).iterations(3)
                    .targetClass(1).build();
            var r = new imagine.core.ImagineEngine(b).synthesize(ref, imagine.controls.Controls.none()
                    .withTarget(new imagine.controls.Target.Box(0, 0, 32, 32)), cfg, imagine.core.ProgressListener.NONE,
                    new imagine.core.CancellationToken());
            assertEquals(1, r.samples().size());
            assertEquals("resnet50", r.model());
        }
        var e = assertThrows(ModelException.class, () -> new ModelStore(dir).load("resnet50", ai.djl.Device.cpu()));
        assertTrue(e.getMessage().contains("model.safetensors") && e.getMessage().contains(".pth"), e.getMessage());
    }

    @Test
    void headersThatLieAreRefusedBeforeAllocation(@TempDir Path dir) throws Exception {
        String[] headers = {
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [100000, 100000, 100000], \"data_offsets\": [0, 4]}}",
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8000000000]}}",
            "{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}",
            "{\"a\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [0, 8]}}",
            "[1, 2]",
        };
        for (String h : headers) {
            Path f = dir.resolve("t.safetensors");
            byte[] hb = h.getBytes();
            ByteBuffer b = ByteBuffer.allocate(8 + hb.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(hb.length).put(hb);
            Files.write(f, b.array());
            var e = assertThrows(ModelException.class, () -> SafeTensors.read(f), h);
            assertTrue(e.getMessage().contains("not a usable safetensors file"), e.getMessage());
        }
        Path huge = dir.resolve("h.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
        assertThrows(ModelException.class, () -> SafeTensors.read(huge), "a header longer than the file");
    }
}
