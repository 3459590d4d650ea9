package dev.vectorgrad.jupyter;

import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code check(...)}: what the lecture notebooks print beside the slides' numbers, failing when they differ. */
class NotebookCheckTest {

    private PrintStream saved;
    private ByteArrayOutputStream printed;

    @BeforeEach
    void capture() {
        saved = System.out;
        printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(saved);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheValueAsTheSlideWritesIt() {
        Notebook.check("E_total (slide)", 0.298371106, 0.298, 5e-4);
        Notebook.check("E_total", 0.298371106, 0.298371109, 1e-6);
        Notebook.check("s_bird", -84.12000274658203, -84.12, 5e-3);
        Notebook.check("params", 61706, 61706, 0);
        Notebook.check("computed", 24.000061035, 24.00006103515625, 1e-3);
        assertEquals("""
                ok   E_total (slide) = 0.298   (expected 0.298 ± 0.0005)
                ok   E_total = 0.298371106   (expected 0.298371109 ± 0.000001)
                ok   s_bird = -84.12   (expected -84.12 ± 0.005)
                ok   params = 61706   (expected 61706)
                ok   computed = 24.000061   (expected 24.000061 ± 0.001)
                """, printed());
    }

    @Test
    void failsLoudly() {
        AssertionError e = assertThrows(AssertionError.class, () -> Notebook.check("w5+", 0.36, 0.35891648, 1e-6));
        assertTrue(e.getMessage().startsWith("w5+ = 0.36, expected 0.35891648 within"), e.getMessage());
        assertTrue(printed().startsWith("FAIL w5+ = 0.36000000"), printed());
        assertThrows(AssertionError.class, () -> Notebook.check("is a dog", false));
        assertThrows(AssertionError.class, () -> Notebook.check("NaN is never close", Double.NaN, 0, 1));
    }

    @Test
    void tensorsByShapeAndValues() {
        Notebook.check("grid", Tensor.of(1, 2, 3), Tensor.of(1, 2, 3.0000001f));
        assertTrue(printed().startsWith("ok   grid (shape (3), largest difference "), printed());
        AssertionError e = assertThrows(AssertionError.class,
                () -> Notebook.check("grid", Tensor.of(1, 2, 3), Tensor.of(1, 2, 3).reshape(3, 1)));
        assertTrue(e.getMessage().startsWith("grid: shape (3), expected (3,1)"), e.getMessage());
        assertThrows(AssertionError.class, () -> Notebook.check("grid", Tensor.of(1, 2, 3), Tensor.of(1, 2, 4)));
    }
}
