package imagine.core;

import java.util.Map;

/**
 * A progress report: position, the weighted loss terms at this iteration (plus the
 * discriminator's own loss once it trains), elapsed time and an estimate of the time left.
 */
public record Progress(int iteration, int totalIterations, String stage, Map<String, Double> losses,
        double total, long elapsedMillis, long etaMillis) {

    public double fraction() {
        return totalIterations == 0 ? 1 : (double) iteration / totalIterations;
    }
}
