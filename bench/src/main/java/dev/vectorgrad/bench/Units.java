package dev.vectorgrad.bench;

/** Converts JMH score units ("us/op", "ops/ms", ...) to seconds per operation. */
final class Units {

    private Units() {
    }

    static double secondsPerOp(double score, String unit) {
        if (unit == null) {
            return Double.NaN;
        }
        String[] parts = unit.split("/");
        if (parts.length != 2) {
            return Double.NaN;
        }
        if (parts[1].equals("op")) {
            return score * seconds(parts[0]);
        }
        if (parts[0].equals("ops")) {
            return seconds(parts[1]) / score;
        }
        return Double.NaN;
    }

    /** Seconds in one of JMH's time unit abbreviations. */
    static double seconds(String u) {
        return switch (u) {
            case "ns" -> 1e-9;
            case "us", "µs" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            case "hr" -> 3600;
            case "day" -> 86400;
            default -> Double.NaN;
        };
    }
}
