package dev.vectorgrad.jupyter.magic;

import dev.vectorgrad.jupyter.CellException;
import dev.vectorgrad.jupyter.Session;
import jdk.jshell.Snippet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code %timeit} and {@code %%timeit}: times a statement or expression the way a JVM needs it timed.
 *
 * <ol>
 *   <li>The first call is timed alone and reported separately (class loading, interpretation).</li>
 *   <li>Warm-up: the code runs repeatedly for a while so the JIT compiles it.</li>
 *   <li>Loops per run are chosen so one run takes at least 0.2 s (1, 2, 5, 10, 20, 50, ...), unless
 *       {@code -n} says; then {@code -r} runs (default 7, fewer for slow code) are timed.</li>
 *   <li>The report is the mean ± standard deviation of the per-loop time over the runs.</li>
 * </ol>
 *
 * The timing loop is compiled into the session with the code, so the measured call is a direct call
 * from compiled Java, as it would be outside a notebook.
 */
final class Timeit {

    static final String USAGE = "%timeit [-n LOOPS] [-r RUNS] [-q] [-o] <statement or expression>   (also %%timeit on a cell)";

    private static final long TARGET_RUN_NS = 200_000_000L;
    private static final long MAX_TOTAL_NS = 10_000_000_000L;
    private static final int DEFAULT_RUNS = 7;

    record Options(long loops, int runs, boolean quiet, boolean returnResult, String rest) {
    }

    /** The outcome; {@code %timeit -o} returns it as the cell's value. */
    public record Result(long firstCallNs, long warmupNs, long warmupCalls, long loops, double[] perLoopNs) {

        public double mean() {
            double s = 0;
            for (double v : perLoopNs) {
                s += v;
            }
            return s / perLoopNs.length;
        }

        /** Population standard deviation, as IPython reports it. */
        public double std() {
            double m = mean();
            double s = 0;
            for (double v : perLoopNs) {
                s += (v - m) * (v - m);
            }
            return Math.sqrt(s / perLoopNs.length);
        }

        public double best() {
            double b = Double.POSITIVE_INFINITY;
            for (double v : perLoopNs) {
                b = Math.min(b, v);
            }
            return b;
        }

        @Override
        public String toString() {
            int runs = perLoopNs.length;
            return "first call: " + format(firstCallNs) + "\n"
                    + format(mean()) + " ± " + format(std()) + " per loop (mean ± std. dev. of " + runs + " run"
                    + (runs == 1 ? "" : "s") + ", " + loops + " loop" + (loops == 1 ? "" : "s") + " each; warm-up "
                    + format(warmupNs) + ", " + warmupCalls + " call" + (warmupCalls == 1 ? "" : "s") + ")";
        }
    }

    private Timeit() {
    }

    static Options parse(String args) {
        long loops = 0;
        int runs = 0;
        boolean quiet = false;
        boolean ret = false;
        String rest = args.strip();
        while (true) {
            String[] parts = rest.split("\\s+", 2);
            String opt = parts[0];
            String after = parts.length > 1 ? parts[1] : "";
            switch (opt) {
                case "-q" -> quiet = true;
                case "-o" -> ret = true;
                case "-n", "-r" -> {
                    String[] p2 = after.split("\\s+", 2);
                    long v;
                    try {
                        v = Long.parseLong(p2[0]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(opt + " needs a positive number, got '" + p2[0] + "'");
                    }
                    if (v <= 0 || opt.equals("-r") && v > 1000) {
                        throw new IllegalArgumentException(opt + " needs a positive number" + (opt.equals("-r") ? " up to 1000" : "")
                                + ", got " + v);
                    }
                    if (opt.equals("-n")) {
                        loops = v;
                    } else {
                        runs = (int) v;
                    }
                    after = p2.length > 1 ? p2[1] : "";
                }
                default -> {
                    return new Options(loops, runs, quiet, ret, rest);
                }
            }
            rest = after.strip();
        }
    }

    static Session.Value line(Session s, String args) throws CellException {
        Options o = parse(args);
        if (o.rest().isBlank()) {
            throw new IllegalArgumentException("nothing to time");
        }
        return run(s, o, o.rest());
    }

    static Session.Value cell(Session s, String args, String body) throws CellException {
        Options o = parse(args);
        if (!o.rest().isBlank()) {
            throw new IllegalArgumentException("%%timeit takes only options on its line; the code to time is the cell body");
        }
        if (body.isBlank()) {
            throw new IllegalArgumentException("nothing to time: the cell body is empty");
        }
        return run(s, o, body);
    }

    private static Session.Value run(Session s, Options o, String code) throws CellException {
        String src = code.strip();
        String expr = src.endsWith(";") ? src.substring(0, src.length() - 1) : src;
        String body = s.internalName("TimeitBody");
        String sink = s.internalName("TimeitSink");
        String loop = s.internalName("TimeitLoop");
        String warm = s.internalName("TimeitWarm");
        String runs = s.internalName("TimeitRuns");
        List<Snippet> declared = new ArrayList<>();
        try {
            boolean isExpression = !expr.contains("\n") || !expr.contains(";");
            String call;
            if (isExpression && s.compiles("Object " + body + "() throws Throwable { return " + expr + "\n; }")) {
                declared.add(s.declare("Object " + sink + ";", "%timeit"));
                declared.add(s.declare("Object " + body + "() throws Throwable { return " + expr + "\n; }", "%timeit"));
                call = sink + " = " + body + "();";
            } else {
                declared.add(s.declare("void " + body + "() throws Throwable {\n" + src + "\n;}", "%timeit"));
                call = body + "();";
            }
            declared.add(s.declare("long " + loop + "(long n) throws Throwable { long t0 = System.nanoTime();"
                    + " for (long i = 0; i < n; i++) { " + call + " } return System.nanoTime() - t0; }", "%timeit"));
            declared.add(s.declare("long " + warm + "(long budget) throws Throwable { long t0 = System.nanoTime(); long k = 0;"
                    + " do { " + call + " k++; } while (System.nanoTime() - t0 < budget); return k; }", "%timeit"));
            declared.add(s.declare("long[] " + runs + "(long n, int r) throws Throwable { long[] t = new long[r];"
                    + " for (int j = 0; j < r; j++) { t[j] = " + loop + "(n); } return t; }", "%timeit"));

            long first = (Long) s.evalValue(loop + "(1L)", "%timeit");
            long budget = Math.max(100_000_000L, Math.min(1_000_000_000L, 10 * first));
            long w0 = System.nanoTime();
            long warmCalls = (Long) s.evalValue(warm + "(" + budget + "L)", "%timeit");
            long warmNs = System.nanoTime() - w0;
            long perCall = Math.max(1, warmNs / Math.max(1, warmCalls));

            long n = o.loops();
            long probe = 0;
            if (n == 0) {
                n = 1;
                for (int step = 0; step < 40; step++) {
                    probe = (Long) s.evalValue(loop + "(" + n + "L)", "%timeit");
                    if (probe >= TARGET_RUN_NS || n >= 1_000_000_000L) {
                        break;
                    }
                    n = nextLoops(n);
                }
            } else {
                probe = perCall * n;
            }
            int r = o.runs();
            if (r == 0) {
                r = DEFAULT_RUNS;
                long perRun = Math.max(probe, 1);
                if (perRun * r > MAX_TOTAL_NS) {
                    r = (int) Math.max(3, Math.min(DEFAULT_RUNS, MAX_TOTAL_NS / perRun));
                }
            }
            long[] times = (long[]) s.evalValue(runs + "(" + n + "L, " + r + ")", "%timeit");
            double[] perLoop = new double[times.length];
            for (int i = 0; i < times.length; i++) {
                perLoop[i] = (double) times[i] / n;
            }
            Result result = new Result(first, warmNs, warmCalls, n, perLoop);
            if (!o.quiet()) {
                s.out().stdout(result + "\n");
            }
            return o.returnResult() ? new Session.Value(result) : null;
        } finally {
            for (int i = declared.size() - 1; i >= 0; i--) {
                s.drop(declared.get(i));
            }
        }
    }

    /** 1, 2, 5, 10, 20, 50, ... */
    static long nextLoops(long n) {
        long p = 1;
        while (p * 10 <= n) {
            p *= 10;
        }
        long d = n / p;
        return d == 1 ? 2 * p : d == 2 ? 5 * p : 10 * p;
    }

    /** A duration with three significant digits and a fitting unit. */
    static String format(double ns) {
        if (ns < 1e3) {
            return String.format(Locale.ROOT, "%.3g ns", ns);
        }
        if (ns < 1e6) {
            return String.format(Locale.ROOT, "%.3g µs", ns / 1e3);
        }
        if (ns < 1e9) {
            return String.format(Locale.ROOT, "%.3g ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.3g s", ns / 1e9);
    }
}
