package dev.vectorgrad.jupyter;

import dev.vectorgrad.jupyter.display.Html;
import dev.vectorgrad.jupyter.display.Image;
import dev.vectorgrad.jupyter.display.Markdown;
import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Helpers every cell can call without a prefix (the kernel imports them statically):
 *
 * <pre>{@code
 * String id = display(x);                  // show x now (rich form), keep an id
 * updateDisplay(id, x.mul(2));             // replace that output in place
 * show(img);                               // a (H,W), (1,H,W) or (3,H,W) tensor as a picture
 * display(html("<b>bold</b>"));            // raw HTML; markdown("...") likewise
 * check("E_total", e.item(), 0.298371109, 1e-6);   // prints both numbers; fails the cell if they differ
 * }</pre>
 *
 * Outside a running kernel (plain Java) the display helpers do nothing and return an id anyway;
 * {@code check} prints and checks everywhere.
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

    /** Clears what the running cell has shown so far (its printed text and its displays). */
    public static void clearOutput() {
        clearOutput(false);
    }

    /**
     * Clears the running cell's output; with {@code waitForNext}, not before the next output arrives,
     * so that a loop that clears and prints again does not flicker.
     */
    public static void clearOutput(boolean waitForNext) {
        System.out.flush();
        System.err.flush();
        Session s = Session.active();
        if (s != null) {
            s.clearOutput(waitForNext);
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

    // ------------------------------------------------------------------ checks

    /**
     * Prints {@code what}, the computed value (rounded to as many decimals as {@code expected} is
     * written with, so a slide's {@code 0.298} prints as {@code 0.298}; six for an expected value
     * that was itself computed) and the expected one, and
     * throws an {@link AssertionError} when they differ by more than {@code tolerance}, which fails
     * the cell (and a notebook run headless).
     */
    public static void check(String what, double actual, double expected, double tolerance) {
        // a value written with up to ten decimals prints as written; a computed one with six
        int scale = Math.max(0, BigDecimal.valueOf(expected).stripTrailingZeros().scale());
        int decimals = scale <= 10 ? scale : 6;
        String a = String.format(Locale.ROOT, "%." + decimals + "f", actual);
        String e = scale <= 10 ? BigDecimal.valueOf(expected).stripTrailingZeros().toPlainString()
                : String.format(Locale.ROOT, "%." + decimals + "f", expected);
        boolean ok = Math.abs(actual - expected) <= tolerance;
        String line = (ok ? "ok  " : "FAIL") + " " + what + " = " + a + "   (expected " + e
                + (tolerance > 0 ? " ± " + BigDecimal.valueOf(tolerance).stripTrailingZeros().toPlainString() : "") + ")";
        System.out.println(line);
        if (!ok) {
            throw new AssertionError(what + " = " + actual + ", expected " + e + " within " + tolerance);
        }
    }

    /** Prints {@code what} with ok or FAIL, and throws an {@link AssertionError} when {@code condition} is false. */
    public static void check(String what, boolean condition) {
        System.out.println((condition ? "ok  " : "FAIL") + " " + what);
        if (!condition) {
            throw new AssertionError("check failed: " + what);
        }
    }

    /**
     * Checks that {@code actual} has {@code expected}'s shape and values (to a relative 1e-5 and an
     * absolute 1e-6), printing the largest difference; throws an {@link AssertionError} otherwise.
     */
    public static void check(String what, Tensor actual, Tensor expected) {
        boolean sameShape = java.util.Arrays.equals(actual.shape(), expected.shape());
        String detail;
        boolean ok;
        if (!sameShape) {
            ok = false;
            detail = "shape " + Shapes.format(actual.shape()) + ", expected " + Shapes.format(expected.shape());
        } else {
            float[] x = actual.contiguous().toArray();
            float[] y = expected.contiguous().toArray();
            double worst = 0;
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs((double) x[i] - y[i]));
            }
            ok = actual.allClose(expected, 1e-5, 1e-6);
            detail = "shape " + Shapes.format(actual.shape()) + ", largest difference "
                    + String.format(Locale.ROOT, "%.3g", worst);
        }
        System.out.println((ok ? "ok  " : "FAIL") + " " + what + " (" + detail + ")");
        if (!ok) {
            throw new AssertionError(what + ": " + detail + "\ngot      " + actual + "\nexpected " + expected);
        }
    }

    public static Html html(String html) {
        return new Html(html);
    }

    public static Markdown markdown(String markdown) {
        return new Markdown(markdown);
    }
}
