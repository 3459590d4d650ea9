package dev.vectorgrad.tensor;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static dev.vectorgrad.tensor.Checks.assertMessage;
import static dev.vectorgrad.tensor.Checks.assertShape;
import static dev.vectorgrad.tensor.Checks.assertTensor;
import static dev.vectorgrad.tensor.Checks.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The worked examples of the lecture "Machine Learning: Neural Networks" (ROB 102, lecture 13,
 * seeds/004): the two-layer network exercise and the matrix-multiplication slides. A notebook that
 * reproduces the slides must print the slides' numbers.
 */
class LectureGoldenTest {

    private static final String[] CLASSES = {"cat", "dog", "bird"};

    // Parameters exactly as on the slides.
    private static final Tensor X = Tensor.of(56, 231, 24, 2);
    private static final Tensor W1 = Tensor.of(new float[][] {
            {0.2f, -0.5f, 0.1f, 2.0f},
            {-0.2f, 0.0f, 0.4f, 1.3f},
            {1.1f, 0.7f, -0.9f, -0.2f},
            {-1.9f, 1.0f, 0.9f, 2.1f}});
    private static final Tensor B1 = Tensor.of(9.1f, 7.3f, -27, 2.1f);
    private static final Tensor W2 = Tensor.of(new float[][] {
            {0.8f, 0.9f, 0.0f, 1.4f},
            {0.3f, -0.3f, 2.2f, -1.2f},
            {0.6f, 0.7f, -0.1f, -0.6f}});
    private static final Tensor B2 = Tensor.of(-32, 14, 19);

    private static String[] printed(Tensor t, int decimals) {
        float[] v = t.toArray();
        String[] s = new String[v.length];
        for (int i = 0; i < v.length; i++) {
            s[i] = String.format(Locale.ROOT, "%." + decimals + "f", v[i]);
        }
        return s;
    }

    @Test
    void twoLayerNetworkForwardPass() {
        // W1 * X + b1  ->  -88.8, 8.3, 174.3, 152.5
        Tensor pre = W1.matmul(X).add(B1);
        assertShape(pre, 4);
        assertArrayEquals(new String[] {"-88.8", "8.3", "174.3", "152.5"}, printed(pre, 1));

        // H = max(0, W1 * X + b1)  ->  h = 0, 8.3, 174.3, 152.5
        Tensor h = pre.relu();
        assertArrayEquals(new String[] {"0.0", "8.3", "174.3", "152.5"}, printed(h, 1));

        // scores = W2 * H + b2  ->  s_cat = 188.97, s_dog = 211.97, s_bird = -84.12
        Tensor scores = W2.matmul(h).add(B2);
        assertArrayEquals(new String[] {"188.97", "211.97", "-84.12"}, printed(scores, 2));

        // argmax(scores) is 2 in Julia's 1-based indexing: the dog.
        int predicted = (int) scores.argmax().item();
        assertEquals(1, predicted);
        assertEquals("dog", CLASSES[predicted]);
    }

    @Test
    void theSameNetworkOnARowBatch() {
        // A notebook batches images as rows: scores = relu(X W1^T + b1) W2^T + b2, no copies of W^T.
        Tensor batch = Tensor.stack(X, X.mul(0.5f));
        Tensor scores = batch.matmul(W1.t()).add(B1).relu().matmul(W2.t()).add(B2);
        assertShape(scores, 2, 3);
        assertArrayEquals(new String[] {"188.97", "211.97", "-84.12"}, printed(scores.select(0, 0), 2));
        assertTensor(scores.argmax(1, false).narrow(0, 0, 1), shape(1), 1);
    }

    @Test
    void withoutTheActivationItIsStillLinear() {
        // W2 (W1 X + b1) + b2 = (W2 W1) X + (W2 b1 + b2)
        Tensor deep = W2.matmul(W1.matmul(X).add(B1)).add(B2);
        Tensor linear = W2.matmul(W1).matmul(X).add(W2.matmul(B1).add(B2));
        assertTrue(deep.allClose(linear, 1e-4, 1e-3), deep + " vs " + linear);
    }

    @Test
    void juliaMatrixMultiplicationSlides() {
        Tensor a = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}});
        Tensor b = Tensor.of(new float[][] {{3, 3}, {2, 2}, {1, 1}});
        // Legal: (4,3) x (3,2) -> (4,2)
        Tensor ab = a.matmul(b);
        assertTensor(ab, shape(4, 2), 10, 10, 28, 28, 46, 46, 64, 64);
        assertEquals("tensor([[10., 10.],\n"
                + "        [28., 28.],\n"
                + "        [46., 46.],\n"
                + "        [64., 64.]])", ab.toString());
        // Illegal: (4,3) x (2,3). Julia says DimensionMismatch("matrix A has dimensions (4,3), matrix B has
        // dimensions (2,3)"); we say which dimensions disagree.
        Tensor c = Tensor.of(new float[][] {{1, 1, 1}, {2, 2, 2}});
        assertMessage(ShapeException.class, "matmul: (4,3) x (2,3): inner dimensions 3 and 2 differ", () -> a.matmul(c));
    }
}
