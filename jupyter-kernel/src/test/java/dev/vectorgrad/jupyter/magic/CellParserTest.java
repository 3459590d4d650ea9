package dev.vectorgrad.jupyter.magic;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CellParserTest {

    @Test
    void plainJavaIsOneSegment() {
        List<CellParser.Segment> s = CellParser.parse("int a = 1;\nint b = a % 2;\n");
        assertEquals(List.of(new CellParser.Java("int a = 1;\nint b = a % 2;\n", 0)), s);
    }

    @Test
    void lineMagicsSplitJavaAndKeepLineNumbers() {
        List<CellParser.Segment> s = CellParser.parse("int a = 1;\n%timeit -n 10 a + 1\n\nint b = 2;\n  %backend simd");
        assertEquals(4, s.size());
        assertEquals(new CellParser.Java("int a = 1;\n", 0), s.get(0));
        assertEquals(new CellParser.LineMagic("timeit", "-n 10 a + 1", 1), s.get(1));
        assertEquals(new CellParser.Java("\nint b = 2;\n", 2), s.get(2));
        assertEquals(new CellParser.LineMagic("backend", "simd", 4), s.get(3));
    }

    @Test
    void cellMagicTakesTheWholeCell() {
        List<CellParser.Segment> s = CellParser.parse("\n%%time  \nint x = 1;\n%backend\nx");
        assertEquals(List.of(new CellParser.CellMagic("time", "", "int x = 1;\n%backend\nx", 1)), s);
        assertTrue(CellParser.isCellMagic("\n  %%html\n<b>"));
        assertFalse(CellParser.isCellMagic("%html"));
    }

    @Test
    void cellMagicBelowTheFirstLineIsAnError() {
        assertThrows(CellParser.MisplacedCellMagicException.class, () -> CellParser.parse("int a;\n%%time\n"));
    }

    @Test
    void moduloAndPercentInsideCodeAreNotMagics() {
        List<CellParser.Segment> s = CellParser.parse("int m = 7\n  % 3;\nString f = \"%d\";");
        assertEquals(1, s.size());
        assertTrue(s.get(0) instanceof CellParser.Java);
    }

    @Test
    void blankCellHasNoSegments() {
        assertTrue(CellParser.parse("  \n\n").isEmpty());
    }

    @Test
    void maskingKeepsOffsets() {
        String cell = "int a = 1;\n%lsmagic\nTensor.ze";
        String masked = CellParser.maskLineMagics(cell);
        assertEquals(cell.length(), masked.length());
        assertEquals("int a = 1;\n        \nTensor.ze", masked);
    }

    @Test
    void tokenizeLikeAShell() {
        assertEquals(List.of("a", "b c", "d\"e", "f g", "h i"), CellParser.tokenize(" a 'b c' \"d\\\"e\" f\\ g \"h i\""));
        assertEquals(List.of(), CellParser.tokenize("   "));
        assertThrows(IllegalArgumentException.class, () -> CellParser.tokenize("'open"));
    }
}
