package dev.vectorgrad.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training section rendered from hand-written result lines (inputs for the rendering logic, not
 * measurements): the table, the ratios to PyTorch's best configuration, and the targets' verdicts.
 */
class TrainReportTest {

    private static final TrainResult.Protocol FULL = TrainRun.protocol(RunMode.FULL);
    private static final TrainResult.Protocol QUICK = TrainRun.protocol(RunMode.QUICK);

    private static String vectorgrad(String model, TrainResult.Protocol p, double first, double best, double acc) {
        return String.format(Locale.ROOT, "{\"model\": \"%s\", \"impl\": \"vectorgrad\", \"threads\": 2, \"backend\":"
                        + " \"simd\", \"warmup\": %d, \"steps_per_epoch\": 938, \"steps_timed\": %d, \"epochs\": %d,"
                        + " \"first_epoch_s\": %s, \"epoch_s\": %s, \"step_ms\": %s, \"cpu_epoch_s\": %s,"
                        + " \"gc_share\": 0.0123, \"gc_ms\": 40, \"peak_heap_mib\": 96.5, \"test_acc\": %s}",
                model, p.warmup(), p.steps() == 0 ? 938 : p.steps(), p.epochs(), first, best, best / 0.938, best * 1.5, acc);
    }

    private static String torch(String model, TrainResult.Protocol p, int threads, double first, double best,
                                double acc) {
        return String.format(Locale.ROOT, "{\"model\": \"%s\", \"impl\": \"torch\", \"threads\": %d, \"torch\":"
                        + " \"1.13.0a0\", \"blas_threads\": 2, \"warmup\": %d, \"steps_per_epoch\": 938,"
                        + " \"steps_timed\": %d, \"epochs\": %d, \"first_epoch_s\": %s, \"epoch_s\": %s, \"step_ms\": %s,"
                        + " \"cpu_epoch_s\": %s, \"test_acc\": %s}",
                model, threads, p.warmup(), p.steps() == 0 ? 938 : p.steps(), p.epochs(), first, best, best / 0.938,
                best * 1.2, acc);
    }

    /** LeNet exactly at its 0.5× target on the best epoch, MLP slower than PyTorch and under its accuracy bar. */
    private static TrainResult full() {
        return new TrainResult(null, FULL, List.of(
                vectorgrad("lenet", FULL, 5.0, 4.0, 0.9012),
                torch("lenet", FULL, 1, 9.0, 8.0, 0.9050),
                torch("lenet", FULL, 2, 8.6, 16.0, 0.9048),
                vectorgrad("mlp", FULL, 2.0, 1.2, 0.84),
                torch("mlp", FULL, 1, 1.1, 1.0, 0.86),
                torch("mlp", FULL, 2, 2.5, 2.2, 0.86)), List.of());
    }

    private static String render(TrainResult train) {
        RunContext ctx = new RunContext(Map.of("Machine", "test"), "full", "settings", List.of("Train"), 2, List.of(),
                List.of(), Map.of(), null, train);
        return ReportWriter.render(new Measurements(List.of()), ctx);
    }

    @Test
    void ratiosAreToPytorchsBestConfigurationWithTheTargetsVerdicts() {
        String md = render(full());
        assertTrue(md.contains("## Training: vectorgrad vs PyTorch"), md);
        assertTrue(md.contains("--epochs 5 --warmup 0"), "the protocol is stated: " + md);
        assertTrue(md.contains("| test acc after 5 epochs |"), md);
        // Best epoch: 4.0 / 8.0 (torch 1 thread, its best) = 0.5, the target itself: met.
        assertTrue(md.contains("- vectorgrad / PyTorch best (best epoch): 0.500× (4.00 s vs 8.00 s, PyTorch 1 thread)"
                + " — target ≤ 0.5×: met"), md);
        // First epoch: against torch's best first epoch, which is the 2-thread run's 8.6 s.
        assertTrue(md.contains("- vectorgrad / PyTorch best (first epoch): 0.581× (5.00 s vs 8.60 s, PyTorch 2 threads)"
                + " — target ≤ 0.5×: not met"), md);
        assertTrue(md.contains("- vectorgrad test accuracy after 5 epochs: 90.1% — target ≥ 89%: met"), md);
        assertTrue(md.contains("- vectorgrad / PyTorch best (best epoch): 1.20× (1.20 s vs 1.00 s, PyTorch 1 thread)"
                + " — target ≤ 1×: not met"), md);
        assertTrue(md.contains("- vectorgrad test accuracy after 5 epochs: 84.0% — target ≥ 85%: not met"), md);
    }

    @Test
    void theTableHasARowPerRunWithTheJvmColumnsForVectorgradOnly() {
        String md = render(full());
        String lenet = line(md, "| LeNet-5        | vectorgrad (simd)");
        assertTrue(lenet.matches(".*\\|\\s+2 \\|\\s+5.00 \\|\\s+4.00 \\|\\s+4.26 \\|\\s+6.00 \\|\\s+90.1% \\(≥ 89%: met\\) "
                + "\\|\\s+1.23% \\|\\s+96.5 MiB \\|"), lenet);
        String torch = line(md, "| LeNet-5        | PyTorch 1.13.0a0  | 2 (OpenBLAS 2)");
        assertTrue(torch.contains(" 90.5% (≥ 89%: met) |") && torch.endsWith("n/a |       n/a |"), torch);
        assertTrue(line(md, "| MLP 784-128-10 | vectorgrad (simd)").contains("84.0% (≥ 85%: not met)"), md);
        assertTrue(md.contains("6 raw result line(s)") && md.contains(full().lines().get(2)), "raw lines appended: " + md);
    }

    @Test
    void aQuickRunHasNoColdEpochAndChecksNoAccuracy() {
        TrainResult quick = new TrainResult(null, QUICK, List.of(vectorgrad("lenet", QUICK, 3.0, 3.0, 0.77),
                torch("lenet", QUICK, 1, 8.0, 8.0, 0.78)), List.of());
        String md = render(quick);
        assertTrue(md.contains("| test acc after 100 warm-up + 300 steps |"), md);
        assertTrue(line(md, "| LeNet-5 | vectorgrad (simd)").matches(".*\\|\\s+— \\|\\s+3.00 \\|.*\\|\\s+77.0% \\|.*"),
                md);
        assertTrue(md.contains("(best epoch): 0.375× (3.00 s vs 8.00 s, PyTorch 1 thread) — target ≤ 0.5×: met"), md);
        assertTrue(md.contains("(first epoch): — (100 warm-up steps ran first; the full run times a cold first epoch)"
                + " — target ≤ 0.5×: not measured"), md);
        assertTrue(md.contains("77.0% — target ≥ 89% after 5 epochs: not checked"), md);
        assertFalse(md.contains("**MLP 784-128-10**\n"), "no rows, no lines for the MLP: " + md);
    }

    @Test
    void withoutPytorchOrDataTheSectionSaysWhyAndShowsTheRest() {
        TrainResult noTorch = new TrainResult(null, FULL, List.of(vectorgrad("mlp", FULL, 2.0, 1.5, 0.86)),
                List.of("PyTorch: exit status 1: ModuleNotFoundError: No module named 'torch'"));
        String md = render(noTorch);
        assertTrue(md.contains("(best epoch): — (no PyTorch result) — target ≤ 1×: not measured"), md);
        assertTrue(md.contains("- vectorgrad test accuracy after 5 epochs: 86.0% — target ≥ 85%: met"), md);
        assertTrue(md.contains("Not measured:\n- `PyTorch: exit status 1: ModuleNotFoundError: No module named 'torch'`"),
                md);
        String noData = render(new TrainResult("Fashion-MNIST not found in /x", FULL, List.of(), List.of()));
        assertTrue(noData.contains("unavailable: Fashion-MNIST not found in /x"), noData);
        assertFalse(noData.contains("| model"), noData);
        assertFalse(render(null).contains("Training"), "not selected: no section");
    }

    @Test
    void theLinesSurviveTheContextFileAndOlderPeerLinesStillParse() {
        RunContext ctx = new RunContext(Map.of("Machine", "test"), "full", "settings", List.of("Train"), 2, List.of(),
                List.of(), Map.of(), null, full());
        RunContext back = RunContext.fromJson(Json.write(ctx.toJson()));
        assertEquals(full(), back.train());
        assertEquals(render(full()), ReportWriter.render(new Measurements(List.of()), back));
        TrainRow old = TrainRow.parse("{\"model\": \"lenet\", \"threads\": 1, \"torch\": \"1.13.0a0\", \"epoch_s\": 10.19,"
                + " \"step_ms\": 10.86, \"steps_timed\": 200, \"epochs\": 1, \"test_acc\": 0.7704}");
        assertEquals(TrainRow.TORCH, old.impl());
        assertFalse(old.coldFirstEpoch(), "no first_epoch_s, no warmup: not a cold epoch");
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("a", 1);
        line.put("b", List.of(1.5, "x"));
        line.put("c", Map.of());
        assertEquals("{\"a\": 1, \"b\": [1.5, \"x\"], \"c\": {}}", Json.writeLine(line), "one line, as printed");
    }

    private static String line(String md, String start) {
        return md.lines().filter(l -> l.startsWith(start)).findFirst().orElse("(no line starting " + start + ")");
    }
}
