package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the training comparison ran: the protocol, the raw JSON line of every run that finished (kept as
 * printed, for the report's appendix and the context file), and one line per run that did not, with why.
 * {@code unavailable} is set when nothing could be measured (no data set).
 */
record TrainResult(String unavailable, Protocol protocol, List<String> lines, List<String> problems) {

    /**
     * Per (model, implementation, threads): {@code warmup} untimed steps, then {@code epochs} timed epochs,
     * each of {@code steps} steps extrapolated to a whole epoch (0: whole epochs).
     */
    record Protocol(int epochs, int steps, int warmup) {

        /** "5 epochs" or "100 warm-up + 300 steps". */
        String trained() {
            if (steps == 0 && warmup == 0) {
                return epochs + (epochs == 1 ? " epoch" : " epochs");
            }
            return (warmup > 0 ? warmup + " warm-up + " : "") + (epochs > 1 ? epochs + " × " : "")
                    + (steps == 0 ? "1 epoch" : steps + " steps");
        }
    }

    List<TrainRow> rows() {
        List<TrainRow> rows = new ArrayList<>();
        for (String l : lines) {
            try {
                rows.add(TrainRow.parse(l));
            } catch (IllegalArgumentException | ClassCastException e) {
                // not a result line; it stays in the raw appendix
            }
        }
        return rows;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("unavailable", unavailable);
        m.put("epochs", protocol.epochs());
        m.put("steps", protocol.steps());
        m.put("warmup", protocol.warmup());
        m.put("lines", lines);
        m.put("problems", problems);
        return m;
    }

    /** Null for context files written before the training comparison existed. */
    static TrainResult fromJson(Object o) {
        if (o == null) {
            return null;
        }
        Map<String, Object> m = Json.obj(o);
        Protocol p = new Protocol((int) Json.num(m.get("epochs")), (int) Json.num(m.get("steps")),
                (int) Json.num(m.get("warmup")));
        return new TrainResult((String) m.get("unavailable"), p, strings(m.get("lines")), strings(m.get("problems")));
    }

    private static List<String> strings(Object o) {
        return Json.list(o).stream().map(String::valueOf).toList();
    }
}
