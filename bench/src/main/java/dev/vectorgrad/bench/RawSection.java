package dev.vectorgrad.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every JMH result exactly as JMH reported it, folded away at the end of the report. */
final class RawSection implements ReportSection {

    @Override
    public void render(Measurements m, RunContext ctx, StringBuilder md) {
        if (m.isEmpty()) {
            return;
        }
        ReportSection.heading(md, "All JMH results");
        Table t = Table.of("benchmark", "params", "mode", "score ± error", "unit", "median").leftAligned(1, 2, 4);
        List<Measurement> sorted = new ArrayList<>(m.all());
        sorted.sort(Comparator.comparing(Measurement::benchmark).thenComparing(RawSection::paramKey));
        for (Measurement x : sorted) {
            Map<String, String> params = new TreeMap<>(x.params());
            StringBuilder p = new StringBuilder();
            params.forEach((k, v) -> p.append(p.isEmpty() ? "" : ", ").append(k).append('=').append(v));
            t.row(x.benchClass() + "." + x.method(), p, x.mode(), Fmt.pm(x.score(), x.error()), x.unit(),
                    Fmt.num(x.median()));
        }
        md.append("<details><summary>").append(t.size()).append(t.size() == 1 ? " result" : " results")
                .append(" (score ± 99.9% CI half-width, median of iterations)</summary>\n\n");
        ReportSection.table(md, t);
        md.append("</details>\n");
    }

    /** Parameters in name order with numbers zero-padded, so 1024 sorts before 65536. */
    private static String paramKey(Measurement x) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(x.params()).forEach((k, v) -> sb.append(k).append('=')
                .append(v.matches("\\d{1,12}") ? "0".repeat(12 - v.length()) + v : v).append(';'));
        return sb.toString();
    }
}
