package dev.vectorgrad.tensor;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.BinaryOp;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.backend.UnaryOp;

import java.util.Objects;

/**
 * Elementwise operations: one kernel call each, into a fresh contiguous output. When an input requires
 * gradients (and grad mode is on) the operation is handed to the autograd hook instead, which comes
 * back here with recording off and attaches the graph node; comparisons are not differentiable and
 * never record.
 */
final class ElementwiseOps {

    private ElementwiseOps() {
    }

    static Tensor unary(Tensor x, UnaryOp op, float alpha, float beta) {
        if (GradBridge.recording(x)) {
            return GradBridge.hook().unary(x, op, alpha, beta);
        }
        Backend b = Backends.current();
        int n = x.layout.size();
        Storage out = b.allocate(n);
        if (n > 0) {
            b.unary(op, alpha, beta, x.storage, x.layout, out);
        }
        return Tensor.fresh(out, x.layout.shape(), b);
    }

    static Tensor binary(String name, BinaryOp op, Tensor a, Tensor other) {
        Objects.requireNonNull(other, () -> name + ": the other tensor is null");
        if (GradBridge.recording(a, other) && !op.isComparison()) {
            return GradBridge.hook().binary(name, op, a, other);
        }
        int[] shape = Shapes.broadcast(name, a.layout.shape(), other.layout.shape());
        Layout la = Views.broadcastLayout(a.layout, shape);
        Layout lb = Views.broadcastLayout(other.layout, shape);
        Backend b = Backends.current();
        int n = Shapes.numel(shape);
        Storage out = b.allocate(n);
        if (n > 0) {
            b.binary(op, a.storage, la, other.storage, lb, out);
        }
        return Tensor.fresh(out, shape, b);
    }

    /** A binary op against a scalar, broadcast as a 0-D tensor. */
    static Tensor binary(String name, BinaryOp op, Tensor a, float scalar) {
        return binary(name, op, a, Tensor.scalar(scalar));
    }

    static Tensor add(Tensor a, float s) {
        return unary(a, UnaryOp.ADD_SCALAR, s, 0f);
    }

    static Tensor sub(Tensor a, float s) {
        // x - s == x + (-s) exactly in IEEE arithmetic.
        return unary(a, UnaryOp.ADD_SCALAR, -s, 0f);
    }

    static Tensor mul(Tensor a, float s) {
        return unary(a, UnaryOp.MUL_SCALAR, s, 0f);
    }

    static Tensor div(Tensor a, float s) {
        // Multiplying by the reciprocal is exact only when the reciprocal is: a normal power of two.
        float r = 1f / s;
        if (isPowerOfTwo(s) && isPowerOfTwo(r)) {
            return unary(a, UnaryOp.MUL_SCALAR, r, 0f);
        }
        return binary("div", BinaryOp.DIV, a, s);
    }

    private static boolean isPowerOfTwo(float v) {
        return Float.isFinite(v) && Math.abs(v) >= Float.MIN_NORMAL
                && (Float.floatToRawIntBits(v) & 0x007FFFFF) == 0;
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Objects.requireNonNull(cond, "where: cond is null");
        Objects.requireNonNull(a, "where: a is null");
        Objects.requireNonNull(b, "where: b is null");
        if (GradBridge.recording(a, b)) {
            return GradBridge.hook().where(cond, a, b);
        }
        int[] shape = Shapes.broadcast("where", cond.layout.shape(), a.layout.shape(), b.layout.shape());
        Backend be = Backends.current();
        int n = Shapes.numel(shape);
        Storage out = be.allocate(n);
        if (n > 0) {
            be.where(cond.storage, Views.broadcastLayout(cond.layout, shape),
                    a.storage, Views.broadcastLayout(a.layout, shape),
                    b.storage, Views.broadcastLayout(b.layout, shape), out);
        }
        return Tensor.fresh(out, shape, be);
    }
}
