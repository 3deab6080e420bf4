package imagine.core;

/** One class score: index, probability and label. */
public record Prediction(int index, double probability, String label) {}
