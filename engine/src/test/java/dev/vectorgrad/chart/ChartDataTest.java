package dev.vectorgrad.chart;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain-data chart types added for the notebook kernel: scatter plots, decision boundaries, bar charts. */
class ChartDataTest {

    @Test
    void scatterGroupsAreNamedOnce() {
        Series a = new Series("class 0", new double[] {0, 1}, new double[] {1, 0});
        Series b = new Series("class 1", new double[] {2}, new double[] {2});
        ScatterChart c = ScatterChart.of("Data", "x", "y", a, b);
        assertEquals(3, c.points());
        assertEquals("Data (y by x, 3 points)\n  class 0: 2 points\n  class 1: 1 point", c.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScatterChart.of("Data", "x", "y", a, a));
        assertEquals("ScatterChart 'Data': two groups are named 'class 0'", e.getMessage());
    }

    private static DecisionBoundary halves() {
        // 4 x 2 grid over [0, 4] x [0, 2]: class 0 on the left half, class 1 on the right
        int[] cls = {0, 0, 1, 1, 0, 0, 1, 1};
        float[] conf = {1f, 0.6f, 0.6f, 1f, 1f, 0.6f, 0.6f, 1f};
        return new DecisionBoundary("halves", "x", "y", 0, 4, 0, 2, 4, 2, cls, conf, List.of("left", "right"),
                List.of(new Series("left", new double[] {0.5}, new double[] {1})));
    }

    @Test
    void decisionBoundaryCellsAndPoints() {
        DecisionBoundary d = halves();
        assertEquals(0, d.classAt(0.5, 0.5));
        assertEquals(1, d.classAt(3.5, 1.5));
        assertEquals(1, d.classAt(99.0, -99.0), "outside: the nearest cell");
        assertEquals(0, d.cellClass(1, 1));
        assertEquals(1, d.classAt(2.5, 1.0));
        assertEquals(0.6f, d.cellConfidence(1, 2));
        assertEquals(0.5, d.areaFraction(1));
        String text = d.toString();
        assertTrue(text.startsWith("halves (x 0.00..4.00, y 0.00..2.00, 4x2 grid)"), text);
        assertTrue(text.contains("\n  ..##") && text.endsWith(". left, # right"), text);
    }

    @Test
    void decisionBoundaryRejectsInconsistentGrids() {
        List<String> names = List.of("a", "b");
        assertThrows(IllegalArgumentException.class, () -> new DecisionBoundary("t", "x", "y", 0, 1, 0, 1, 2, 2,
                new int[3], new float[4], names, List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DecisionBoundary("t", "x",
                "y", 0, 1, 0, 1, 1, 1, new int[] {2}, new float[1], names, List.of()));
        assertEquals("DecisionBoundary: class 2 in the grid, but there are 2 classes [a, b]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DecisionBoundary("t", "x", "y", 1, 1, 0, 1, 1, 1,
                new int[1], new float[1], names, List.of()));
    }

    @Test
    void barChartValuesByGroupAndCategory() {
        BarChart c = BarChart.of("GEMM", "GFLOP/s", List.of("scalar", "simd"), new BarChart.Bars("this machine", 2, 40));
        assertEquals(40, c.value("this machine", "simd"));
        assertEquals("GEMM (GFLOP/s)\n  scalar █▌ 2.0000\n  simd   ██████████████████████████████ 40.0000", c.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BarChart.of("GEMM", "GFLOP/s", List.of("scalar", "simd"), 1.0));
        assertEquals("BarChart 'GEMM': group 'GFLOP/s' has 1 values for 2 categories [scalar, simd]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.value("other", "simd"));
    }
}
