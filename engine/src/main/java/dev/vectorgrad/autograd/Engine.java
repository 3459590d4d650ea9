package dev.vectorgrad.autograd;

import dev.vectorgrad.tensor.GradBridge;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The backward pass. Iterative from start to end (graphs of any depth, no recursion):
 * <ol>
 *   <li>walk the graph from the root with an explicit stack, counting for every node how many edges
 *       lead into it;</li>
 *   <li>process nodes in topological order (Kahn): a node runs only when every node that feeds it
 *       a gradient has run, so its gradient is complete, summed over all its uses, before it is
 *       propagated;</li>
 *   <li>sum the contributions to each leaf and add them to its {@code grad()} once.</li>
 * </ol>
 * Everything runs with grad mode off: backward passes are not themselves recorded.
 */
final class Engine {

    private Engine() {
    }

    static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (root == null) {
            throw new IllegalArgumentException("backward: the tensor is null");
        }
        if (!root.isRequiresGrad()) {
            throw new IllegalStateException("backward: this tensor does not require grad and has no gradFn, so no"
                    + " graph leads to it. Call requiresGrad() on the leaves before computing it (outside Grad.off())");
        }
        int[] shape = root.shape();
        if (gradient == null && root.numel() != 1) {
            throw new IllegalArgumentException("backward() needs a scalar output (got shape " + Shapes.format(shape)
                    + "); pass a gradient of the same shape: backward(gradient)");
        }
        if (gradient != null && !Arrays.equals(gradient.shape(), shape)) {
            throw new IllegalArgumentException("backward: the gradient has shape " + Shapes.format(gradient.shape())
                    + " but the tensor has shape " + Shapes.format(shape) + "; they must be the same");
        }
        boolean mode = GradBridge.setEnabled(false);
        try {
            Tensor seed = gradient != null ? gradient.detach() : Tensor.onesLike(root);
            if (root.gradFn() == null) {
                accumulate(root, seed, false);
                return;
            }
            run((Node) root.gradFn(), seed, retainGraph);
        } finally {
            GradBridge.setEnabled(mode);
        }
    }

    private static void run(Node root, Tensor seed, boolean retainGraph) {
        // 1. Dependencies: how many edges lead into each reachable node. Throws before anything is
        //    touched if part of the graph was already freed.
        Map<Node, int[]> deps = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        deps.put(root, new int[1]);
        stack.push(root);
        while (!stack.isEmpty()) {
            for (Object e : stack.pop().edges()) {
                if (e instanceof Node child) {
                    int[] d = deps.get(child);
                    if (d == null) {
                        deps.put(child, new int[] {1});
                        stack.push(child);
                    } else {
                        d[0]++;
                    }
                }
            }
        }

        // 2. Topological order: a node is ready when all its consumers have delivered their gradient.
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        Map<Tensor, Tensor> leaves = new IdentityHashMap<>();
        GradientOwners owners = new GradientOwners();
        owners.foreign(seed);
        owners.held(seed);
        pending.put(root, seed);
        ArrayDeque<Node> ready = new ArrayDeque<>();
        ready.push(root);
        while (!ready.isEmpty()) {
            Node node = ready.pop();
            Tensor g = pending.remove(node);
            if (g != null && node.retained != null) {
                accumulate(node.retained, g, false);
            }
            Tensor[] inputGrads = g == null ? null : node.backward(g);
            Object[] edges = node.edges();
            if (inputGrads != null && inputGrads.length != edges.length) {
                throw new IllegalStateException(node.name() + " returned " + inputGrads.length + " gradients for "
                        + edges.length + " inputs");
            }
            for (int i = 0; i < edges.length; i++) {
                Object e = edges[i];
                if (e == null) {
                    continue;
                }
                Tensor gi = inputGrads == null ? null : inputGrads[i];
                if (gi != null) {
                    gi = node.fit(i, gi);
                    owners.returned(node, gi);
                }
                if (e instanceof Node child) {
                    if (gi != null) {
                        pending.merge(child, gi, owners::sum);
                    }
                    if (--deps.get(child)[0] == 0) {
                        ready.push(child);
                    }
                } else if (gi != null) {
                    leaves.merge((Tensor) e, gi, owners::sum);
                }
            }
            if (g != null) {
                owners.released(g);
            }
            if (!retainGraph) {
                node.release();
            }
        }

        // 3. Leaves, each once.
        for (Map.Entry<Tensor, Tensor> e : leaves.entrySet()) {
            accumulate(e.getKey(), e.getValue(), owners.solelyHeld(e.getValue()));
        }
    }

    /**
     * {@code t.grad = t.grad + g}; a first gradient is kept as it is when {@code own} (only the engine held
     * it), else copied so that no two tensors share one.
     */
    private static void accumulate(Tensor t, Tensor g, boolean own) {
        synchronized (t) {
            Tensor old = t.grad();
            t.setGrad(old == null ? (own ? g : g.clone()) : old.add(g));
        }
    }
}
