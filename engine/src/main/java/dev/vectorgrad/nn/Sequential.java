package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.Tensor;

import java.util.Objects;

/**
 * Modules applied one after the other; child {@code i} is named {@code "i"}, so parameters are
 * {@code 0.weight}, {@code 0.bias}, ...
 *
 * <pre>{@code
 * var lenet = new Sequential(
 *     new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
 *     new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
 *     new Flatten(),
 *     new Linear(400, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, 10));
 * lenet.summary(1, 1, 28, 28);     // 61,706 parameters
 * }</pre>
 */
public class Sequential extends Module {

    private int size;

    public Sequential(Module... modules) {
        Objects.requireNonNull(modules, "Sequential: modules is null");
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module, named by its position; returns this. */
    public Sequential add(Module module) {
        Objects.requireNonNull(module, () -> "Sequential.add: module " + size + " is null");
        registerModule(String.valueOf(size), module);
        size++;
        return this;
    }

    /** The module at {@code index} (negative counts from the end). */
    public Module get(int index) {
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("Sequential.get: index " + index + " is out of range for "
                    + size + " modules");
        }
        return namedChildren().get(String.valueOf(i));
    }

    /** Number of modules. */
    public int size() {
        return size;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor y = x;
        for (Module m : namedChildren().values()) {
            y = m.forward(y);
        }
        return y;
    }

    @Override
    public int[] outputShape(int[] in) {
        int[] s = in;
        for (Module m : namedChildren().values()) {
            s = m.outputShape(s);
        }
        return s.clone();
    }
}
