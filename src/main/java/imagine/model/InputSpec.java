package imagine.model;

/**
 * How a backbone wants its RGB input: {@code (x - mean) / std} per channel, with x in [0, 1].
 * MobileNet (Keras) uses mean 0.5 and std 0.5, i.e. x/127.5 - 1 on 0..255.
 */
public record InputSpec(float[] mean, float[] std) {
    public static final InputSpec MINUS_ONE_TO_ONE = new InputSpec(new float[] {0.5f, 0.5f, 0.5f},
            new float[] {0.5f, 0.5f, 0.5f});
    public static final InputSpec IMAGENET = new InputSpec(new float[] {0.485f, 0.456f, 0.406f},
            new float[] {0.229f, 0.224f, 0.225f});
}
