package dev.vectorgrad.jupyter;

import io.github.spencerpark.jupyter.kernel.history.HistoryEntry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryTest {

    static List<String> inputs(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::getInput).toList();
    }

    @Test
    void tailRangeAndSearch() {
        History h = new History();
        h.add(1, "int a = 1;", null);
        h.add(2, "a + 1", "2");
        h.add(3, "Tensor.ones(2)", "tensor([1., 1.])");
        h.add(4, "a + 1", "2");
        assertEquals(List.of("Tensor.ones(2)", "a + 1"), inputs(h.tail(2, false)));
        assertEquals(4, h.tail(0, false).size());
        assertEquals(List.of("a + 1", "Tensor.ones(2)"), inputs(h.range(0, 2, 4, false)));
        assertEquals(List.of("a + 1", "Tensor.ones(2)", "a + 1"), inputs(h.range(History.SESSION, 2, 0, false)));
        assertTrue(h.range(7, 1, 5, false).isEmpty(), "an unknown session has nothing");
        assertEquals(List.of("a + 1", "a + 1"), inputs(h.search("a +*", 0, false, false)));
        assertEquals(List.of("a + 1"), inputs(h.search("a +*", 0, true, false)));
        assertEquals(List.of("int a = 1;", "Tensor.ones(2)", "a + 1"), inputs(h.search("*", 0, true, false)),
                "unique keeps the last run of each input, in order");
        assertEquals(List.of("Tensor.ones(2)"), inputs(h.search("[T]ensor.one?(2)", 5, false, false)));
        HistoryEntry withOutput = h.tail(1, true).get(0);
        assertTrue(withOutput.hasOutput());
        assertEquals("2", withOutput.getOutput());
        assertFalse(h.tail(1, false).get(0).hasOutput());
    }
}
