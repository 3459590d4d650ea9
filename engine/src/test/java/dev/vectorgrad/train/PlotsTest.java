package dev.vectorgrad.train;

import dev.vectorgrad.chart.DecisionBoundary;
import dev.vectorgrad.chart.ScatterChart;
import dev.vectorgrad.data.Features;
import dev.vectorgrad.data.Synthetic;
import dev.vectorgrad.data.TensorDataset;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.nn.Sigmoid;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chart data for 2-D classification: the points by class, and a model's decision regions. */
class PlotsTest {

    /** Four points, class 1 where x > 0. */
    static TensorDataset signOfX() {
        return new TensorDataset(Tensor.of(new float[][] {{-2, 1}, {-1, -1}, {1, 2}, {2, -2}}), Tensor.of(0, 0, 1, 1));
    }

    /** Scores (-x, x): class 1 wins exactly where x > 0. */
    static Linear xDecides() {
        Linear l = new Linear(2, 2);
        l.weight().set(Tensor.of(new float[][] {{-1, 0}, {1, 0}}));
        l.bias().set(Tensor.zeros(2));
        return l;
    }

    @Test
    void scatterGroupsThePointsByClass() {
        ScatterChart c = Plots.scatter(signOfX());
        assertEquals(2, c.groups().size());
        assertEquals("class 1", c.groups().get(1).name());
        assertEquals(1.0, c.groups().get(1).x()[0]);
        assertEquals(4, c.points());
    }

    @Test
    void decisionBoundaryOfClassScores() {
        DecisionBoundary d = Plots.decisionBoundary(new Sequential(xDecides()), signOfX(), null, 20);
        assertEquals(20, d.columns());
        assertEquals(20, d.rows());
        assertTrue(d.xMin() < -2 && d.xMax() > 2 && d.yMin() < -2 && d.yMax() > 2, d.toString());
        assertEquals(0, d.classAt(-1.5, 0.0));
        assertEquals(1, d.classAt(1.5, 0.0));
        assertEquals(0.5, d.areaFraction(1), 1e-9);
        assertEquals("Decision boundary (accuracy 100.0%)", d.title());
        // far from the boundary the softmax is sure; next to it, close to a coin toss
        assertTrue(d.cellConfidence(10, 0) > 0.9, "left edge");
        assertTrue(d.cellConfidence(10, 10) < 0.6, "next to x = 0");
        assertEquals(2, d.points().size());
    }

    @Test
    void decisionBoundaryOfOneProbabilityAndOfDerivedFeatures() {
        // one sigmoid output: class 1 where the probability reaches 0.5
        Linear one = new Linear(2, 1);
        one.weight().set(Tensor.of(new float[][] {{1, 0}}));
        one.bias().set(Tensor.zeros(1));
        DecisionBoundary p = Plots.decisionBoundary(new Sequential(one, new Sigmoid()), signOfX());
        assertEquals(0, p.classAt(-1.0, 0.0));
        assertEquals(1, p.classAt(1.0, 0.0));
        // the same output as a logit (no sigmoid layer) gives the same regions
        DecisionBoundary logit = Plots.decisionBoundary(new Sequential(one), signOfX());
        assertEquals(p.areaFraction(1), logit.areaFraction(1), 1e-9);

        // a linear model on (x^2, y^2) draws a closed region in the (x, y) plane
        TensorDataset circle = Synthetic.circle(200, 0, 0L);
        Linear onSquares = new Linear(2, 2);
        onSquares.weight().set(Tensor.of(new float[][] {{1, 1}, {-1, -1}}));   // class 1 where x^2 + y^2 < 9
        onSquares.bias().set(Tensor.of(-9, 9));
        DecisionBoundary c = Plots.decisionBoundary(new Sequential(onSquares), circle, Features.of("x^2", "y^2"));
        assertEquals(1, c.classAt(0.0, 0.0));
        assertEquals(0, c.classAt(4.5, 0.0));
        assertEquals(0, c.classAt(0.0, -4.5));
        assertEquals("Decision boundary (accuracy 100.0%)", c.title());
    }

    @Test
    void clearErrorsForDataThatIsNotTwoDimensional() {
        TensorDataset squared = Synthetic.circle(10, 0, 0L).transformed(Features.of("x^2", "y^2", "xy"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Plots.decisionBoundary(new Sequential(new Linear(3, 2)), squared));
        assertTrue(e.getMessage().startsWith("decisionBoundary: expects 2-D points (N,2), got features (10,3)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Features.of"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plots.decisionBoundary(new Sequential(xDecides()), signOfX(), null, 1));
    }
}
