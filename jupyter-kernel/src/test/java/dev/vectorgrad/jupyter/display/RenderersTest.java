package dev.vectorgrad.jupyter.display;

import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.Serializable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RenderersTest {

    @Test
    void textPlainIsAlwaysPresent() {
        assertEquals("null", Renderers.render(null).get(MimeBundle.TEXT));
        assertEquals("abc", Renderers.render("abc").get(MimeBundle.TEXT));
        assertEquals("[1, 2, 3]", Renderers.render(new int[] {1, 2, 3}).get(MimeBundle.TEXT));
        assertEquals("[[1.0], [2.0, 3.0]]", Renderers.render(new float[][] {{1}, {2, 3}}).get(MimeBundle.TEXT));
    }

    @Test
    void tensorRendersAsTableWithCaption() {
        MimeBundle b = Renderers.render(Tensor.of(new float[][] {{1, 2}, {3, 4.5f}}));
        String html = (String) b.get(MimeBundle.HTML);
        assertTrue(html.contains("Tensor shape=(2,2) dtype=float32 backend="), html);
        assertTrue(html.contains(">4.5000</td>"), html);
        assertTrue(html.contains("<th style=\"text-align:right;padding:1px 6px;color:#888;font-weight:normal;border:none\">1</th>"), html);
        assertEquals(Tensor.of(new float[][] {{1, 2}, {3, 4.5f}}).toString(), b.get(MimeBundle.TEXT));
    }

    @Test
    void largeTensorsAreTruncatedWithIndices() {
        String html = TensorHtml.html(Tensor.arange(100 * 50).reshape(100, 50));
        assertTrue(html.contains("&#8230;"), "an ellipsis cell");
        assertTrue(html.contains(">99</th>"), "last row index shown");
        assertTrue(html.contains(">49</th>"), "last column index shown");
        assertFalse(html.contains(">50</th>"), "middle rows are elided");
        assertEquals(7, count(html, "<tr>") - 1, "3 + ellipsis + 3 rows, plus the header row");
    }

    @Test
    void higherRankTensorsShowOneTablePerLeadingIndex() {
        String html = TensorHtml.html(Tensor.arange(2 * 3 * 4).reshape(2, 3, 4));
        assertEquals(2, count(html, "<table"));
        assertTrue(html.contains("[1, :, :]"), html);
        String big = TensorHtml.html(Tensor.zeros(10, 3, 40));
        assertEquals(6, count(big, "<table"), "3 + 3 leading slices");
        assertTrue(big.contains("&#8942;"), "vertical ellipsis between slices");
    }

    @Test
    void scalarAndEmptyTensors() {
        assertTrue(TensorHtml.html(Tensor.scalar(2.5f)).contains(">2.5000</td>"));
        assertTrue(TensorHtml.html(Tensor.zeros(0, 3)).contains("(empty)"));
    }

    static class Base {
    }

    static class Derived extends Base implements Serializable {
    }

    @Test
    void mostSpecificRendererWins() {
        Renderers.register(Renderer.of(Serializable.class, (v, out) -> out.html("serializable")));
        Renderers.register(Renderer.of(Base.class, (v, out) -> out.html("base")));
        try {
            assertEquals("base", Renderers.render(new Derived()).get(MimeBundle.HTML), "superclass before interface");
            Renderers.register(Renderer.of(Derived.class, (v, out) -> out.html("derived")));
            assertEquals("derived", Renderers.render(new Derived()).get(MimeBundle.HTML));
        } finally {
            Renderers.unregister(Serializable.class);
            Renderers.unregister(Base.class);
            Renderers.unregister(Derived.class);
        }
    }

    @Test
    void failingRendererFallsBackToText() {
        Renderers.register(Renderer.of(Base.class, (v, out) -> {
            throw new IllegalStateException("broken");
        }));
        try {
            MimeBundle b = Renderers.render(new Base());
            assertFalse(b.has(MimeBundle.HTML));
            assertTrue(((String) b.get(MimeBundle.TEXT)).contains("rich display failed: java.lang.IllegalStateException: broken"));
        } finally {
            Renderers.unregister(Base.class);
        }
    }

    public static class Chart {
        public String toSvg() {
            return "<svg/>";
        }

        public String toHtml() {
            return "<p>chart</p>";
        }

        @Override
        public String toString() {
            return "Chart";
        }
    }

    @Test
    void richMethodsAreUsedByConvention() {
        MimeBundle b = Renderers.render(new Chart());
        assertEquals("<svg/>", b.get(MimeBundle.SVG));
        assertEquals("<p>chart</p>", b.get(MimeBundle.HTML));
        assertEquals("Chart", b.get(MimeBundle.TEXT));
    }

    @Test
    void htmlAndMarkdownValues() {
        MimeBundle h = Renderers.render(new Html("<i>x</i> &amp; y"));
        assertEquals("<i>x</i> &amp; y", h.get(MimeBundle.HTML));
        MimeBundle m = Renderers.render(new Markdown("**b**"));
        assertEquals("**b**", m.get(MimeBundle.MARKDOWN));
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
