package dev.vectorgrad.jupyter;

import dev.vectorgrad.jupyter.display.Html;
import dev.vectorgrad.jupyter.display.Image;
import dev.vectorgrad.jupyter.display.Markdown;
import dev.vectorgrad.tensor.Tensor;

/**
 * Helpers every cell can call without a prefix (the kernel imports them statically):
 *
 * <pre>{@code
 * String id = display(x);                  // show x now (rich form), keep an id
 * updateDisplay(id, x.mul(2));             // replace that output in place
 * show(img);                               // a (H,W), (1,H,W) or (3,H,W) tensor as a picture
 * display(html("<b>bold</b>"));            // raw HTML; markdown("...") likewise
 * }</pre>
 *
 * Outside a running kernel (plain Java) they do nothing and return an id anyway.
 */
public final class Notebook {

    private Notebook() {
    }

    /** Shows {@code value} (chosen by its type, as a cell's value would be) and returns its display id. */
    public static String display(Object value) {
        Session s = Session.active();
        return s == null ? Session.newDisplayId() : s.display(value);
    }

    /** Replaces the output shown under {@code displayId} (from {@link #display}) with {@code value}. */
    public static void updateDisplay(String displayId, Object value) {
        if (displayId == null || displayId.isEmpty()) {
            throw new IllegalArgumentException("updateDisplay: the display id is empty; use the id display(...) returned");
        }
        Session s = Session.active();
        if (s != null) {
            s.updateDisplay(displayId, value);
        }
    }

    /** Shows a tensor as a picture (see {@link Image#of(Tensor)}); returns the display id. */
    public static String show(Tensor image) {
        return display(Image.of(image));
    }

    /** Shows a tensor as a picture, each value drawn as a {@code scale x scale} block. */
    public static String show(Tensor image, int scale) {
        return display(Image.of(image, scale));
    }

    public static Html html(String html) {
        return new Html(html);
    }

    public static Markdown markdown(String markdown) {
        return new Markdown(markdown);
    }
}
