package dev.vectorgrad.nn;

import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryTest {

    @Test
    void lenetSummaryHasShapesAndCounts() {
        Sequential lenet = NnChecks.lenet();
        Summary s = lenet.summary(1, 1, 28, 28);
        assertEquals(61_706, s.totalParams());
        assertEquals(61_706, s.trainableParams());
        assertEquals(0, s.nonTrainableParams());
        assertEquals(12, s.rows().size());
        int[][] shapes = {{1, 6, 28, 28}, {1, 6, 28, 28}, {1, 6, 14, 14}, {1, 16, 10, 10}, {1, 16, 10, 10},
                {1, 16, 5, 5}, {1, 400}, {1, 120}, {1, 120}, {1, 84}, {1, 84}, {1, 10}};
        long[] params = {156, 0, 0, 2416, 0, 0, 0, 48_120, 0, 10_164, 0, 850};
        for (int i = 0; i < 12; i++) {
            Summary.Row r = s.rows().get(i);
            assertEquals(String.valueOf(i), r.name());
            assertArrayEquals(shapes[i], r.outputShape(), "row " + i);
            assertEquals(params[i], r.params(), "row " + i);
        }
        assertEquals("Conv2d", s.rows().get(0).type());
        assertArrayEquals(new int[] {1, 10}, s.outputShape());
        assertNull(s.problem());
        String text = s.toString();
        assertTrue(text.startsWith("Sequential, input (1,1,28,28)\n"), text);
        assertTrue(text.contains("Total params: 61,706"), text);
        assertTrue(text.contains("Trainable params: 61,706"), text);
        assertTrue(text.contains("48,120"), text);
        assertTrue(text.contains("Parameter memory: 241.04 KiB (float32)"), text);
        // Summaries come from shapes: no parameter got storage.
        for (Parameter p : lenet.parameters()) {
            assertFalse(p.isMaterialized(), p.name());
        }
    }

    @Test
    void summaryShapesMatchARealForwardPass() {
        Sequential lenet = NnChecks.lenet();
        Tensor y = lenet.forward(Tensor.randn(2, 1, 28, 28));
        assertArrayEquals(y.shape(), lenet.summary(2, 1, 28, 28).outputShape());
        assertArrayEquals(y.shape(), lenet.outputShape(new int[] {2, 1, 28, 28}));
    }

    @Test
    void theLecturesFullyConnectedImageLayerIsCountedWithoutAllocating() {
        // 256x256x3 input, 32x32x36 hidden map: 196,608 x 36,864 = 7,247,757,312 connections.
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long usedBefore = rt.totalMemory() - rt.freeMemory();
        Linear fc = new Linear(256 * 256 * 3, 32 * 32 * 36);
        Sequential model = new Sequential(new Flatten(), fc);
        assertEquals(7_247_757_312L, fc.weight().numel());
        assertEquals(7_247_757_312L + 36_864, fc.parameterCount());
        Summary s = model.summary(1, 3, 256, 256);
        assertEquals(7_247_794_176L, s.totalParams());
        assertArrayEquals(new int[] {1, 196_608}, s.rows().get(0).outputShape());
        assertArrayEquals(new int[] {1, 36_864}, s.rows().get(1).outputShape());
        assertTrue(s.toString().contains("Total params: 7,247,794,176"), s.toString());
        assertTrue(s.toString().contains("27.00 GiB"), s.toString());
        assertFalse(fc.weight().isMaterialized());
        assertFalse(fc.bias().isMaterialized());
        long usedAfter = rt.totalMemory() - rt.freeMemory();
        assertTrue(usedAfter - usedBefore < 64L << 20, "summary allocated " + (usedAfter - usedBefore) + " bytes");

        // Using it is a clear error, not an OutOfMemoryError after minutes.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> model.forward(Tensor.zeros(1, 3, 256, 256)));
        assertTrue(e.getMessage().contains("7,247,757,312 elements"), e.getMessage());
        assertTrue(e.getMessage().contains("Linear.weight"), e.getMessage());
    }

    @Test
    void aWrongInputShapeStopsTheShapesWithTheReason() {
        Summary s = NnChecks.lenet().summary(1, 28, 28);
        assertNull(s.rows().get(0).outputShape());
        assertEquals("?", s.rows().get(11).outputShapeText());
        assertTrue(s.problem().startsWith("layer 0: Conv2d(1, 6"), s.problem());
        assertTrue(s.problem().contains("unsqueeze(0)"), s.problem());
        assertEquals(61_706, s.totalParams());
        assertTrue(s.toString().contains("Shapes stop at layer 0"), s.toString());
    }

    @Test
    void summaryWithoutInputListsLayersAndCounts() {
        Summary s = NnChecks.lenet().summary();
        assertEquals(12, s.rows().size());
        assertEquals("?", s.rows().get(0).outputShapeText());
        assertEquals(61_706, s.totalParams());
        assertNull(s.inputShape());
    }

    @Test
    void nestedSequentialsExpandAndCustomContainersAreOneRow() {
        Sequential model = new Sequential(
                new Sequential(new Linear(4, 8), new ReLU()),
                new ModuleTest.TwoLayer(),
                new Linear(3, 2));
        Summary s = model.summary(5, 4);
        assertEquals(List.of("0.0", "0.1", "1", "2"), s.rows().stream().map(Summary.Row::name).toList());
        assertArrayEquals(new int[] {5, 8}, s.rows().get(1).outputShape());
        // TwoLayer does not say its output shape: unknown from there on.
        assertNull(s.rows().get(2).outputShape());
        assertEquals(3 + 40 + 27, s.rows().get(2).params());
        assertNull(s.rows().get(3).outputShape());
        assertNull(s.problem());
    }

    @Test
    void aSingleLayerIsOneRow() {
        Summary s = new Conv2d(3, 8, 3, 1, 1).summary(2, 3, 32, 32);
        assertEquals(1, s.rows().size());
        assertEquals("Conv2d", s.rows().get(0).name());
        assertArrayEquals(new int[] {2, 8, 32, 32}, s.outputShape());
        assertEquals(8 * 3 * 9 + 8, s.totalParams());
    }
}
