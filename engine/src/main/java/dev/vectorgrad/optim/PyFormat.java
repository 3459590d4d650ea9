package dev.vectorgrad.optim;

import java.math.BigDecimal;

/** Numbers as Python's {@code repr} prints them, so optimizers print like PyTorch's. */
final class PyFormat {

    private PyFormat() {
    }

    /**
     * {@code 0.1}, {@code 0.001}, {@code 1e-08}, {@code 1.0}; integral hyperparameters that PyTorch
     * keeps as Python ints (a default of {@code 0}) print without a decimal point when {@code v} is 0.
     */
    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e16) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        int exp = d.precision() - d.scale() - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String e = String.valueOf(Math.abs(exp));
        return (v < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }
}
