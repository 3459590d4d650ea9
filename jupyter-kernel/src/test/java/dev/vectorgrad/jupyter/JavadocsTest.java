package dev.vectorgrad.jupyter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JavadocsTest {

    static final String COMMENT = """
             A 2-D tensor from {@code rows} of equal length, see {@link Tensor#of(float...) of}
             and {@link #reshape(int...)}.
             <ul><li>one
             <li>two</ul>

             <p>More detail: {@code Tensor.of(new float[][] {{1, 2}, {3, 4}})} &amp; so on.
             <pre>{@code
             var x = Tensor.zeros(2, 3);
             }</pre>

             @param rows the rows,
                    all of one length
             @return a new tensor
             @throws IllegalArgumentException if {@code rows} is ragged
             @see Tensor#fromArray
             @since 0.1
            """;

    @Test
    void shortFormIsTheFirstParagraphAndTheParameters() {
        String t = Javadocs.toText(COMMENT, false);
        assertEquals("""
                A 2-D tensor from rows of equal length, see of
                and reshape(int...).
                 - one
                 - two

                @param rows the rows, all of one length
                @return a new tensor
                @throws IllegalArgumentException if rows is ragged""", t);
    }

    @Test
    void detailKeepsEverythingWithBalancedBraces() {
        String t = Javadocs.toText(COMMENT, true);
        assertTrue(t.contains("More detail: Tensor.of(new float[][] {{1, 2}, {3, 4}}) & so on."), t);
        assertTrue(t.contains("var x = Tensor.zeros(2, 3);"), t);
        assertTrue(t.contains("@see Tensor#fromArray"), t);
        assertFalse(t.contains("<"), t);
    }

    @Test
    void linkLabels() {
        assertEquals("label", Javadocs.linkText("Tensor#of(float...) label"));
        assertEquals("Tensor.of(float...)", Javadocs.linkText("Tensor#of(float...)"));
        assertEquals("reshape", Javadocs.linkText("#reshape"));
    }
}
