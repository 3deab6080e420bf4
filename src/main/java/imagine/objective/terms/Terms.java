package imagine.objective.terms;

import ai.djl.ndarray.NDManager;
import imagine.config.ImagineConfig;
import imagine.model.Backbone;
import imagine.objective.LossTerm;
import imagine.objective.Objective;
import imagine.objective.PaddingBand;
import java.util.List;

/**
 * The objective's terms as one table: each row says which setting weighs the term, when it takes
 * part (always, only with the whole view's class term, only under position/shape control) and
 * how it is built. The engine composes the objective from this table and checks the settings
 * against it, so the two cannot drift apart; a new term is its class and one row here (and its
 * weight setting in {@link ImagineConfig.Weights}). See docs/development.md.
 */
public final class Terms {

    private Terms() {}

    /** When a term takes part in a run. */
    public enum When {
        /** In every run. */
        ALWAYS,
        /** Where the class term reads the whole view (no user controls). */
        WHOLE_VIEW,
        /** Where the class term reads the user's target regions (position/shape control). */
        REGIONS
    }

    /** What a term is built from: the run's settings, its model, its target class, layers and memory scope. */
    public record Context(ImagineConfig cfg, Backbone backbone, int target, List<String> taps, NDManager manager) {}

    /** A builder of a term. */
    @FunctionalInterface
    public interface Factory {
        LossTerm build(Context c);
    }

    /** One row: the term's weight setting, when it takes part and how it is built. */
    public record Row(String weight, When when, Factory factory) {

        /** Whether the term takes part in a run whose class term reads the user's regions ({@code regions}) or not. */
        public boolean appliesTo(boolean regions) {
            return when == When.ALWAYS || (when == When.REGIONS) == regions;
        }

        /** Its weight in {@code cfg}. */
        public double weightIn(ImagineConfig cfg) {
            return ((Number) cfg.toMap().get(weight)).doubleValue();
        }
    }

    /** The table, in the order the terms are added up. */
    public static final List<Row> ROWS = List.of(
            new Row("class_weight", When.WHOLE_VIEW, c -> new ClassLoss(c.target(), c.cfg().weights().classTemperature())),
            new Row("class_weight", When.REGIONS,
                    c -> new RegionClassLoss(c.target(), c.backbone(), c.cfg().weights().classTemperature())),
            new Row("background_weight", When.REGIONS, c -> new BackgroundEvidence(c.target(), c.backbone())),
            new Row("background_tv_weight", When.REGIONS, c -> new BackgroundSmoothness()),
            new Row("tv_l2_weight", When.ALWAYS, c -> TotalVariation.l2()),
            new Row("tv_l1_weight", When.ALWAYS, c -> TotalVariation.l1()),
            new Row("l2_weight", When.ALWAYS, c -> new L2Prior()),
            new Row("feature_weight", When.ALWAYS, c -> new FeatureMatching(c.taps(), c.cfg().weights().tapWeights(),
                    new PaddingBand(c.cfg().weights().featureBorder()), c.manager())),
            new Row("layout_weight", When.WHOLE_VIEW, c -> new LayoutAnchor()),
            new Row("palette_weight", When.ALWAYS, c -> new PaletteMatching(c.manager())),
            new Row("adversarial_weight", When.ALWAYS, c -> new PatchAdversarial(c.cfg().discriminator(),
                    c.cfg().adversarialStartIteration(), c.manager(), c.cfg().output().seed())));

    /** The objective of a run: every row that applies, weighted by its setting. */
    public static Objective objective(Context c, boolean regions) {
        Objective o = null;
        for (Row r : ROWS) {
            if (r.appliesTo(regions)) {
                LossTerm t = r.factory().build(c);
                o = o == null ? Objective.of(t, r.weightIn(c.cfg())) : o.plus(t, r.weightIn(c.cfg()));
            }
        }
        return o;
    }

    /** Whether some term that applies has a weight other than 0: otherwise there is nothing to optimize. */
    public static boolean anyWeighed(ImagineConfig cfg, boolean regions) {
        return ROWS.stream().anyMatch(r -> r.appliesTo(regions) && r.weightIn(cfg) != 0);
    }
}
