package imagine.objective.terms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import imagine.objective.LossTerm;
import imagine.objective.Step;

/**
 * Total variation of the image. L2 form as in DeepInversion: per sample, the Euclidean norm of
 * the horizontal and of the vertical neighbour differences (summed), averaged over samples. L1
 * form: the mean absolute neighbour difference.
 */
public final class TotalVariation implements LossTerm {

    private final boolean l1;

    private TotalVariation(boolean l1) {
        this.l1 = l1;
    }

    public static TotalVariation l2() {
        return new TotalVariation(false);
    }

    public static TotalVariation l1() {
        return new TotalVariation(true);
    }

    @Override
    public String name() {
        return l1 ? "tv_l1" : "tv_l2";
    }

    @Override
    public NDArray loss(Step step) {
        // On the output frame: every output pixel is smoothed at every step, also the border band the
        // shifted view leaves out half of the time (on the view, that band came out with 1.6x the
        // high-frequency energy of the interior; on the frame 1.13x, 4 photos x 2 samples). Plus, as
        // a norm of its own, on the whole canvas: the margin around the frame is never output but the
        // shifted views show it beside the frame's border; left unsmoothed it stayed the start's noise
        // and the frame's border learnt to match it (bands of coloured noise). One norm over frame and
        // margin alone was worse: its pull per pixel shrinks as the array grows. A view that holds the
        // frame (views_hold_frame) already has every output pixel and the margin around it: the view
        // then, as for a windowed stage, whose frame is far larger than its view.
        if (step.frame().getShape().equals(step.image().getShape())) {
            NDArray frame = of(step.frame(), l1);
            return step.canvas().getShape().equals(step.frame().getShape()) ? frame : frame.add(of(step.canvas(), l1));
        }
        return of(step.image(), l1);
    }

    static NDArray of(NDArray x, boolean l1) {
        if (l1) {
            return verticalDifferences(x).abs().mean().add(horizontalDifferences(x).abs().mean());
        }
        return l2(x, null);
    }

    /**
     * The L2 form, counting only the differences whose two pixels both lie inside {@code mask}
     * ((1, 1, H, W) in [0, 1]); null counts every difference.
     */
    static NDArray l2(NDArray x, NDArray mask) {
        NDArray dy = verticalDifferences(x);
        NDArray dx = horizontalDifferences(x);
        if (mask != null) {
            dy = dy.mul(mask.get(new NDIndex(":, :, 1:, :")).mul(mask.get(new NDIndex(":, :, :-1, :"))));
            dx = dx.mul(mask.get(new NDIndex(":, :, :, 1:")).mul(mask.get(new NDIndex(":, :, :, :-1"))));
        }
        long n = x.getShape().get(0);
        return perSampleNorm(dy, n).add(perSampleNorm(dx, n)).mean();
    }

    private static NDArray verticalDifferences(NDArray x) {
        return x.get(new NDIndex(":, :, 1:, :")).sub(x.get(new NDIndex(":, :, :-1, :")));
    }

    private static NDArray horizontalDifferences(NDArray x) {
        return x.get(new NDIndex(":, :, :, 1:")).sub(x.get(new NDIndex(":, :, :, :-1")));
    }

    /** sqrt(sum of squares + eps) per sample; eps keeps the gradient finite at zero. */
    static NDArray perSampleNorm(NDArray a, long n) {
        return a.reshape(n, -1).square().sum(new int[] {1}).add(1e-8f).sqrt();
    }
}
