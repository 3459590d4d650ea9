package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a peer (a non-vectorgrad program measuring the same operation) reported: one run per thread
 * count, each with its rows or the reason it produced none. {@code unavailable} is set when the peer
 * could not run at all.
 */
record PeerResult(String name, String command, String unavailable, List<Run> runs) {

    /** One measurement line of a peer: GEMM size, threads, GFLOP/s, and its own description of the library. */
    record Row(int n, int threads, double gflops, String config) {
    }

    /** One invocation of the peer with a given thread count. */
    record Run(int threads, String error, List<Row> rows, List<String> notes) {
    }

    static PeerResult unavailable(String name, String command, String reason) {
        return new PeerResult(name, command, reason, List.of());
    }

    boolean available() {
        return unavailable == null;
    }

    /** GFLOP/s for size {@code n} at {@code threads} threads, NaN when not measured. */
    double gflops(int n, int threads) {
        for (Run r : runs) {
            for (Row row : r.rows) {
                if (row.n == n && row.threads == threads) {
                    return row.gflops;
                }
            }
        }
        return Double.NaN;
    }

    List<Integer> sizes() {
        return runs.stream().flatMap(r -> r.rows.stream()).map(Row::n).distinct().sorted().toList();
    }

    // ------------------------------------------------------------------ JSON (for the context file)

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("command", command);
        m.put("unavailable", unavailable);
        List<Object> rs = new ArrayList<>();
        for (Run r : runs) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("threads", r.threads);
            rm.put("error", r.error);
            List<Object> rows = new ArrayList<>();
            for (Row row : r.rows) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("N", row.n);
                x.put("threads", row.threads);
                x.put("gflops", row.gflops);
                x.put("openblas", row.config);
                rows.add(x);
            }
            rm.put("rows", rows);
            rm.put("notes", r.notes);
            rs.add(rm);
        }
        m.put("runs", rs);
        return m;
    }

    static PeerResult fromJson(Object o) {
        Map<String, Object> m = Json.obj(o);
        List<Run> runs = new ArrayList<>();
        for (Object ro : Json.list(m.get("runs"))) {
            Map<String, Object> r = Json.obj(ro);
            List<Row> rows = new ArrayList<>();
            for (Object x : Json.list(r.get("rows"))) {
                rows.add(row(Json.obj(x), (int) Json.num(r.get("threads"))));
            }
            List<String> notes = Json.list(r.get("notes")).stream().map(String::valueOf).toList();
            runs.add(new Run((int) Json.num(r.get("threads")), (String) r.get("error"), rows, notes));
        }
        return new PeerResult((String) m.get("name"), (String) m.get("command"), (String) m.get("unavailable"), runs);
    }

    /** A row from a peer's JSON line; {@code threads} is used when the line does not say. */
    static Row row(Map<String, Object> x, int threads) {
        double t = Json.num(x.get("threads"));
        Object cfg = x.get("openblas");
        return new Row((int) Json.num(x.get("N")), Double.isNaN(t) ? threads : (int) t, Json.num(x.get("gflops")),
                cfg == null ? null : Json.str(cfg));
    }
}
