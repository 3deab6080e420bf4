package imagine.objective;

import ai.djl.ndarray.NDArray;

/**
 * Each sample's starting layout at one stage, as block means: {@code grid} (N, C, h / cell,
 * w / cell) of the frame's {@code cell x cell} blocks, remainders at the right and bottom left out.
 */
public record LayoutTarget(NDArray grid, int cell) {}
