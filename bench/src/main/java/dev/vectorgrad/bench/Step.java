package dev.vectorgrad.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One JMH invocation: the benchmarks matched by {@code include} with some parameters overridden (an
 * empty map keeps the {@code @Param} defaults). A suite is split into steps when some parameter
 * combinations are to be skipped, since JMH otherwise runs the full cross product.
 */
record Step(Suite suite, String include, Map<String, List<String>> params) {

    /** Every benchmark method of the suite's class. */
    static Step all(Suite suite) {
        return new Step(suite, "^" + Pattern.quote(suite.qualifiedClass() + ".") + "\\w+$", Map.of());
    }

    /** Only the named methods of the suite's class. */
    static Step methods(Suite suite, String... methods) {
        return new Step(suite, "^" + Pattern.quote(suite.qualifiedClass() + ".") + "(" + String.join("|", methods)
                + ")$", Map.of());
    }

    /** This step with one more parameter fixed to the given values. */
    Step with(String param, String... values) {
        Map<String, List<String>> p = new LinkedHashMap<>(params);
        p.put(param, List.of(values));
        return new Step(suite, include, p);
    }

    @Override
    public String toString() {
        return suite.benchClass + " " + include + (params.isEmpty() ? "" : " " + params);
    }
}
