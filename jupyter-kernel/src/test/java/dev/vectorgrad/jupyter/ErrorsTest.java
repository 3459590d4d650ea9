package dev.vectorgrad.jupyter;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ErrorsTest {

    @Test
    void caretUnderTheRangeOnItsOwnLine() {
        String code = "int a = 1;\nTensor t = Tensor.zeroz(2);\n";
        int at = code.indexOf("zeroz");
        assertEquals(List.of("    Tensor t = Tensor.zeroz(2);", "                      ^---^"), Errors.caret(code, at, at + 5));
        assertEquals(List.of("    int a = 1;", "        ^"), Errors.caret(code, 4, 5));
    }

    @Test
    void caretKeepsTabsAligned() {
        assertEquals(List.of("    \tfoo(x);", "    \t    ^"), Errors.caret("\tfoo(x);", 5, 6));
    }

    @Test
    void recursionIsFolded() {
        List<String> lines = new ArrayList<>();
        lines.add("top");
        for (int i = 0; i < 100; i++) {
            lines.add("a");
            lines.add("b");
        }
        lines.add("bottom");
        assertEquals(List.of("top", "a", "b", "    ... the 2 frames above repeat 99 more times ...", "bottom"),
                Errors.foldRepeats(lines));
        assertEquals(List.of("x", "x", "y"), Errors.foldRepeats(List.of("x", "x", "y")), "two in a row stay");
    }

    @Test
    void libraryRunsAreShortenedAroundUserFrames() {
        StackTraceElement[] trace = {
                new StackTraceElement("dev.vectorgrad.tensor.Shapes", "broadcast", "Shapes.java", 10),
                new StackTraceElement("dev.vectorgrad.tensor.ElementwiseOps", "binary", "ElementwiseOps.java", 20),
                new StackTraceElement("dev.vectorgrad.tensor.ElementwiseOps", "add", "ElementwiseOps.java", 30),
                new StackTraceElement("dev.vectorgrad.tensor.Tensor", "add", "Tensor.java", 40),
                new StackTraceElement("", "", "#7", 1),
        };
        Origin o = new Origin("cell [3]", "int a;\nx.add(y)", 7, 0);
        List<String> f = Errors.frames(trace, id -> id.equals("7") ? o : null);
        assertEquals(List.of(
                "    at dev.vectorgrad.tensor.Shapes.broadcast(Shapes.java:10)",
                "    ... 2 frames in library code ...",
                "    at dev.vectorgrad.tensor.Tensor.add(Tensor.java:40)",
                "    at cell [3], line 2"), f);
    }
}
