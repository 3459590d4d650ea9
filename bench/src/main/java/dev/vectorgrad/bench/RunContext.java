package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything about a run that is not in JMH's JSON: the machine, the mode and its settings, which
 * suites were asked for, failures and notes, the peers' results, the device measurements and the
 * training comparison (each null when not run). Saved next to the JMH JSON as {@code <name>.context.json} so a report can be rendered
 * again ({@code --report-from}).
 */
record RunContext(Map<String, String> machine, String mode, String settings, List<String> suites,
                  int allThreads, List<String> failures, List<String> notes, Map<String, PeerResult> peers,
                  GpuResult gpu, TrainResult train) {

    boolean selected(Suite s) {
        return suites.contains(s.key);
    }

    PeerResult peer(String name) {
        return peers.get(name);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("machine", machine);
        m.put("mode", mode);
        m.put("settings", settings);
        m.put("suites", suites);
        m.put("allThreads", allThreads);
        m.put("failures", failures);
        m.put("notes", notes);
        Map<String, Object> p = new LinkedHashMap<>();
        peers.forEach((k, v) -> p.put(k, v.toJson()));
        m.put("peers", p);
        m.put("gpu", gpu == null ? null : gpu.toJson());
        m.put("train", train == null ? null : train.toJson());
        return m;
    }

    static RunContext fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        Map<String, String> machine = new LinkedHashMap<>();
        Json.obj(m.get("machine")).forEach((k, v) -> machine.put(k, String.valueOf(v)));
        Map<String, PeerResult> peers = new LinkedHashMap<>();
        Json.obj(m.get("peers")).forEach((k, v) -> peers.put(k, PeerResult.fromJson(v)));
        return new RunContext(machine, (String) m.get("mode"), (String) m.get("settings"), strings(m.get("suites")),
                (int) Json.num(m.get("allThreads")), strings(m.get("failures")), strings(m.get("notes")), peers,
                GpuResult.fromJson(m.get("gpu")), TrainResult.fromJson(m.get("train")));
    }

    private static List<String> strings(Object o) {
        List<String> l = new ArrayList<>();
        Json.list(o).forEach(x -> l.add(String.valueOf(x)));
        return l;
    }
}
