package imagine.model;

import java.util.List;

/**
 * A model the store knows: its id (also its folder name), input spec, native size and the taps
 * used for feature matching by default. Taps follow the method: about four block outputs at
 * strides 2, 4, 8 and 16. Evaluation taps are layers the objective does not use, one per stride 4
 * to 32, away from the default taps, so a quality score read there is not what was optimized.
 */
public record ModelSpec(String id, String description, int nativeSize, InputSpec input, List<String> defaultTaps,
        List<String> evaluationTaps) {

    public static final ModelSpec MOBILENET_V1_075 = mobilenet("0.75");
    public static final ModelSpec MOBILENET_V1_100 = mobilenet("1.0");
    public static final ModelSpec MOBILENET_V1_050 = mobilenet("0.50");
    public static final ModelSpec MOBILENET_V1_025 = mobilenet("0.25");

    public static final String DEFAULT_ID = MOBILENET_V1_075.id();

    public static List<ModelSpec> known() {
        return List.of(MOBILENET_V1_075, MOBILENET_V1_100, MOBILENET_V1_050, MOBILENET_V1_025);
    }

    private static ModelSpec mobilenet(String width) {
        return new ModelSpec("mobilenet_v1_" + width + "_224", "MobileNet V1, width " + width + ", ImageNet-1k",
                224, InputSpec.MINUS_ONE_TO_ONE,
                List.of("conv1_relu", "conv_pw_3_relu", "conv_pw_5_relu", "conv_pw_11_relu"),
                List.of("conv_pw_2_relu", "conv_pw_4_relu", "conv_pw_8_relu", "conv_pw_13_relu"));
    }
}
