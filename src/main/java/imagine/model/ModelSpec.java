package imagine.model;

import java.util.List;

/**
 * A model the store knows (the catalog): its id (also its folder name), its format (which
 * {@link BackboneFactory} reads it), input spec, native size,
 * licence, where its public copy is (file checksums: {@code imagine/model/<id>.sha256}) and the taps
 * used for feature matching by default. Taps follow the method: about four block outputs at
 * strides 2, 4, 8 and 16. Evaluation taps are layers the objective does not use, one per stride 4
 * to 32, away from the default taps, so a quality score read there is not what was optimized.
 */
public record ModelSpec(String id, String description, String format, int nativeSize, InputSpec input,
        List<String> defaultTaps, List<String> evaluationTaps, String licence, String source, Cost cost) {

    /**
     * What a synthesis costs per input pixel, measured on a 2-core CPU (default terms): memory beyond
     * the loaded model as peak RSS of short runs at 256 to 2048 px, per sample and pixel the
     * classifier takes in (views and robust views, forward and backward) and per view pixel for the
     * reference's features; and the forward and backward pass's milliseconds per megapixel of views
     * (samples x pixels) at 512 px.
     */
    public record Cost(double bytesPerPixelPerSample, double referenceBytesPerPixel, double cpuMillisPerMegapixel) {

        /**
         * MobileNet V1 of width 0.75, measured (2026-11-28: 1129-3581 MiB peak RSS at 512 px x 1 to
         * 1024 px x 1, about 300 MiB of it the JVM and model); other widths scaled by their channel
         * count (estimates).
         */
        static Cost mobilenet(double width) {
            double f = width / 0.75;
            return new Cost(1650 * f, 500 * f, 750 * f);
        }
    }

    public static final ModelSpec MOBILENET_V1_075 = mobilenet("0.75");
    public static final ModelSpec MOBILENET_V1_100 = mobilenet("1.0");
    public static final ModelSpec MOBILENET_V1_050 = mobilenet("0.50");
    public static final ModelSpec MOBILENET_V1_025 = mobilenet("0.25");

    /** The backbone the method was published with; weights from a safetensors file (torchvision/timm names). */
    public static final ModelSpec RESNET50 = new ModelSpec("resnet50", "ResNet-50 (torchvision v1.5), ImageNet-1k",
            ResNet50Factory.FORMAT, 224, InputSpec.IMAGENET, List.of("stem", "layer1", "layer2", "layer3"),
            List.of("layer1.1", "layer2.2", "layer3.3", "layer4.1"), "BSD-3-Clause (torchvision weights)",
            "model.safetensors of https://huggingface.co/timm/resnet50.tv_in1k (put in by hand)",
            new Cost(1800, 2400, 4200));

    public static final String DEFAULT_ID = MOBILENET_V1_075.id();

    /** The catalog entry of {@code id}, if it is one. */
    public static java.util.Optional<ModelSpec> find(String id) {
        return known().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    /**
     * The measured memory and time cost of model {@code id}; a model outside the catalog (a folder
     * a user made) is costed as the default MobileNet, the only guess available.
     */
    public static Cost costOf(String id) {
        return find(id).orElse(MOBILENET_V1_075).cost();
    }

    /** Every model of every backbone factory (the built-in ones first). */
    public static List<ModelSpec> known() {
        return Backbones.models();
    }

    /** The file whose presence means the model is installed. */
    public String mainFile() {
        return Backbones.of(this).mainFile();
    }

    private static ModelSpec mobilenet(String width) {
        return new ModelSpec("mobilenet_v1_" + width + "_224", "MobileNet V1, width " + width + ", ImageNet-1k",
                TfjsLayersFactory.FORMAT, 224, InputSpec.MINUS_ONE_TO_ONE,
                List.of("conv1_relu", "conv_pw_3_relu", "conv_pw_5_relu", "conv_pw_11_relu"),
                List.of("conv_pw_2_relu", "conv_pw_4_relu", "conv_pw_8_relu", "conv_pw_13_relu"), "Apache-2.0",
                ModelDownloader.TFJS_BASE + "mobilenet_v1_" + width + "_224/model.json",
                Cost.mobilenet(Double.parseDouble(width)));
    }
}
