package dev.vectorgrad.nn;

import dev.vectorgrad.nn.functional.F;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.ShapeException;
import dev.vectorgrad.tensor.Tensor;

/**
 * Merges dimensions {@code startDim..endDim} (inclusive; default 1 to the last) into one:
 * (N, C, H, W) becomes (N, C*H*W). A view when the input is contiguous.
 */
public class Flatten extends Module {

    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor x) {
        outputShape(x.shape());
        return F.flatten(x, startDim, endDim);
    }

    @Override
    public int[] outputShape(int[] in) {
        int rank = Math.max(in.length, 1);
        int s = startDim < 0 ? startDim + rank : startDim;
        int e = endDim < 0 ? endDim + rank : endDim;
        if (s < 0 || s >= rank || e < 0 || e >= rank || s > e) {
            throw new ShapeException(this + ": dimensions " + startDim + ".." + endDim + " do not fit input "
                    + Shapes.format(in));
        }
        if (in.length == 0) {
            return new int[] {1};
        }
        long merged = 1;
        for (int d = s; d <= e; d++) {
            merged *= in[d];
        }
        if (merged > Integer.MAX_VALUE) {
            throw new ShapeException(this + ": input " + Shapes.format(in) + " has too many elements to flatten");
        }
        int[] out = new int[in.length - (e - s)];
        System.arraycopy(in, 0, out, 0, s);
        out[s] = (int) merged;
        System.arraycopy(in, e + 1, out, s + 1, in.length - e - 1);
        return out;
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
