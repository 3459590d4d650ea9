package dev.vectorgrad.autograd.ops;

import dev.vectorgrad.autograd.Node;
import dev.vectorgrad.tensor.Tensor;

/**
 * Matrix products, every rank combination {@code matmul} accepts ({@code mm}, {@code dot} and
 * {@code outer} come here too). For C = A B: dA = dC B^T and dB = A^T dC. The transposes are views
 * ({@code mT()}), which the product kernel reads in place, so nothing is copied for them.
 *
 * <p>A 1-D operand is a row (left) or column (right) vector whose dimension the output dropped; the
 * backward pass puts it back, multiplies as matrices, and reshapes the gradient to the operand.
 * Broadcast batch dimensions are summed back by the engine; a batch of matrices times one shared matrix
 * folds the batch into the rows, so its weight gradient is a single product.
 */
final class Matmul extends Node {

    private Matmul(String name, Tensor a, Tensor b) {
        super(Ops.nodeName(name), a, b);
        save(a, b);
    }

    static Tensor forward(String name, Tensor a, Tensor b) {
        Tensor y = switch (name) {
            case "mm" -> a.mm(b);
            case "dot" -> a.dot(b);
            default -> a.matmul(b);
        };
        return new Matmul(name, a, b).output(y);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor a = saved(0);
        Tensor b = saved(1);
        Tensor a2 = a.ndim() == 1 ? a.unsqueeze(0) : a;    // (..., m, k)
        Tensor b2 = b.ndim() == 1 ? b.unsqueeze(1) : b;    // (..., k, n)
        Tensor g2 = g;                                     // (..., m, n)
        if (a.ndim() == 1 && b.ndim() == 1) {
            g2 = g.reshape(1, 1);
        } else if (a.ndim() == 1) {
            g2 = g.unsqueeze(-2);
        } else if (b.ndim() == 1) {
            g2 = g.unsqueeze(-1);
        }
        Tensor ga = null;
        Tensor gb = null;
        if (needsGrad(0)) {
            ga = g2.matmul(b2.mT()).sumToSize(a2.shape()).reshape(a.shape());
        }
        if (needsGrad(1)) {
            if (b2.ndim() == 2 && b2.stride(0) == 1 && b2.size(1) > 1) {
                // b is a transposed view (F.linear's weight.t()): compute dB^T = dC^T A, contiguous like the
                // matrix b was transposed from, and hand back its transposed view. The transpose's own
                // backward then turns it into a contiguous gradient for that matrix, which accumulates
                // with a plain copy instead of a transposing one.
                int k = a2.size(-1);
                int n = b2.size(-1);
                gb = g2.reshape(-1, n).t().matmul(a2.reshape(-1, k)).t();
            } else if (b2.ndim() == 2 && a2.ndim() > 2) {
                int k = a2.size(-1);
                int n = b2.size(-1);
                gb = a2.reshape(-1, k).t().matmul(g2.reshape(-1, n));
            } else {
                gb = a2.mT().matmul(g2).sumToSize(b2.shape());
            }
            gb = gb.reshape(b.shape());
        }
        return grads(ga, gb);
    }
}
