package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import imagine.UserInputException;
import imagine.model.Backbone;
import imagine.objective.LossTerm;
import imagine.objective.Step;
import java.util.Set;

/** A term that reads the backbone's class activation map (the class evidence per location) for y*. */
abstract class EvidenceTerm implements LossTerm {

    final int targetClass;
    private final Backbone backbone;
    private final String tap;

    EvidenceTerm(int targetClass, Backbone backbone) {
        this.targetClass = targetClass;
        this.backbone = backbone;
        this.tap = backbone.evidenceTap().orElseThrow(() -> new UserInputException("Model " + backbone.id()
                + " has no spatial class evidence, which position and shape control need; choose a MobileNet model."));
    }

    @Override
    public Set<String> taps() {
        return Set.of(tap);
    }

    /** Class logits per location, (N, classes, h, w). */
    NDArray evidence(Step step) {
        return backbone.evidenceMap(step.features().tap(tap));
    }
}
