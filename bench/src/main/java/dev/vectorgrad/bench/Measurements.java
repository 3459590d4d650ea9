package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/** All results of a run, read from the raw JMH JSON, with the look-ups the report sections need. */
final class Measurements {

    private final List<Measurement> all;

    Measurements(List<Measurement> all) {
        this.all = List.copyOf(all);
    }

    /** Reads JMH's JSON result format (an array of benchmark objects). */
    static Measurements fromJmhJson(String json) {
        List<Measurement> list = new ArrayList<>();
        for (Object o : Json.list(Json.parse(json))) {
            Map<String, Object> b = Json.obj(o);
            Map<String, String> params = new LinkedHashMap<>();
            Json.obj(b.get("params")).forEach((k, v) -> params.put(k, Json.str(v)));
            Map<String, Object> pm = Json.obj(b.get("primaryMetric"));
            list.add(new Measurement((String) b.get("benchmark"), params, (String) b.get("mode"),
                    Json.num(pm.get("score")), Json.num(pm.get("scoreError")), (String) pm.get("scoreUnit"),
                    Json.num(Json.obj(pm.get("scorePercentiles")).get("50.0"))));
        }
        return new Measurements(list);
    }

    List<Measurement> all() {
        return all;
    }

    boolean isEmpty() {
        return all.isEmpty();
    }

    List<Measurement> of(String benchClass) {
        return all.stream().filter(m -> m.benchClass().equals(benchClass)).toList();
    }

    /** Methods measured for a benchmark class, in the order first seen. */
    List<String> methods(String benchClass) {
        return of(benchClass).stream().map(Measurement::method).distinct().toList();
    }

    /** Distinct values of a parameter, numbers in numeric order, other strings alphabetically. */
    List<String> values(String benchClass, String param) {
        TreeSet<String> set = new TreeSet<>(Measurements::compareParam);
        for (Measurement m : of(benchClass)) {
            if (m.param(param) != null) {
                set.add(m.param(param));
            }
        }
        return List.copyOf(set);
    }

    /** The result whose parameters include all of {@code keyValues} (pairs: key, value, key, value...). */
    Optional<Measurement> find(String benchClass, String method, String... keyValues) {
        return of(benchClass).stream()
                .filter(m -> m.method().equals(method))
                .filter(m -> {
                    for (int i = 0; i < keyValues.length; i += 2) {
                        if (!Objects.equals(m.param(keyValues[i]), keyValues[i + 1])) {
                            return false;
                        }
                    }
                    return true;
                })
                .findFirst();
    }

    static int compareParam(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
