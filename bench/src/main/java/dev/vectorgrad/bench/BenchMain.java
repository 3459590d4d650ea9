package dev.vectorgrad.bench;

import dev.vectorgrad.backend.Parallel;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code benchmarks.jar}: runs the planned JMH benchmarks, then the numpy peer, then
 * GEMM and conv2d on the "gpu" backend when there is an OpenCL device ({@link GpuRun}), then the
 * training comparison with PyTorch ({@link TrainRun}), and writes the raw JMH JSON, the run context and
 * the markdown report to {@code bench/results/}.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (o.help()) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        Path root = repoRoot();
        Path outDir = o.outDir() != null ? o.outDir() : root.resolve("bench").resolve("results");
        try {
            if (o.reportFrom() != null) {
                rerender(o.reportFrom(), o.outDir());
            } else {
                run(o, root, outDir);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("bench: " + e);
            System.exit(1);
        }
    }

    private static void run(BenchOptions o, Path root, Path outDir) throws IOException {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            System.err.println("bench: warning: this JVM lacks " + JmhRunner.VECTOR_FLAG + "; the benchmarks still get "
                    + "it, but the machine description will say SIMD is unavailable");
        }
        Map<String, String> machine = MachineInfo.collect(root);
        String base = o.name() != null ? o.name() : LocalDate.now() + "-" + MachineInfo.shortName(machine)
                + (o.mode() == RunMode.FULL ? "" : "-" + o.mode().cliName());
        List<Step> steps = Plan.steps(o.suites(), o.mode());
        System.out.println("# vectorgrad bench: " + o.mode().cliName() + " (" + o.mode().describe() + "), "
                + steps.size() + " JMH step(s)" + (o.suites().contains(Suite.TRAIN) ? " and the training comparison" : "")
                + ", results to " + outDir.resolve(base + ".md"));

        JmhRunner.Outcome outcome = JmhRunner.run(steps, o.mode());
        Path json = outDir.resolve(base + ".json");
        AtomicFiles.write(json, JmhRunner.toJson(outcome.results()));

        int allThreads = Parallel.maxThreads();
        Map<String, PeerResult> peers = new LinkedHashMap<>();
        if (o.suites().contains(Suite.GEMM) && o.peer()) {
            List<Integer> threads = allThreads > 1 ? List.of(1, allThreads) : List.of(1);
            peers.put(NumpyPeer.NAME, NumpyPeer.run(root, threads, peerTimeout(o.mode())));
        }

        GpuResult gpu = null;
        if (o.gpu() && (o.suites().contains(Suite.GEMM) || o.suites().contains(Suite.CONV))) {
            gpu = GpuRun.run(o.suites(), o.mode());
            if (!gpu.available()) {
                System.out.println("# gpu: unavailable: " + gpu.unavailable());
            }
        }

        TrainResult train = null;
        if (o.suites().contains(Suite.TRAIN)) {
            System.out.println("# train: vectorgrad and PyTorch, " + TrainRun.protocol(o.mode()).trained() + " per run");
            train = TrainRun.run(root, o.mode(), o.peer(), allThreads);
            if (train.unavailable() != null) {
                System.out.println("# train: unavailable: " + train.unavailable());
            }
        }

        List<String> suites = o.suites().stream().map(s -> s.key).toList();
        RunContext ctx = new RunContext(machine, o.mode().cliName(), o.mode().describe(), suites, allThreads,
                outcome.failures(), outcome.notes(), peers, gpu, train);
        AtomicFiles.write(outDir.resolve(base + ".context.json"), Json.write(ctx.toJson()) + "\n");

        Measurements m = Measurements.fromJmhJson(Files.readString(json, StandardCharsets.UTF_8));
        Path md = outDir.resolve(base + ".md");
        ReportWriter.write(md, m, ctx);
        System.out.println();
        System.out.println(ReportWriter.render(m, ctx));
        System.out.println("# wrote " + md + " (and " + json.getFileName() + ", " + base + ".context.json)");
        if (!outcome.failures().isEmpty()) {
            System.out.println("# " + outcome.failures().size() + " benchmark(s) failed; see Notes in the report");
        }
    }

    /** Renders the report again from {@code X.json} and {@code X.context.json}, to {@code X.md}. */
    private static void rerender(Path json, Path outDir) throws IOException {
        String name = json.getFileName().toString().replaceFirst("\\.json$", "");
        Path dir = json.toAbsolutePath().getParent();
        Path contextFile = dir.resolve(name + ".context.json");
        Measurements m = Measurements.fromJmhJson(Files.readString(json, StandardCharsets.UTF_8));
        RunContext ctx;
        if (Files.exists(contextFile)) {
            ctx = RunContext.fromJson(Files.readString(contextFile, StandardCharsets.UTF_8));
        } else {
            List<String> suites = new ArrayList<>();
            for (Suite s : Suite.values()) {
                if (!m.of(s.benchClass).isEmpty()) {
                    suites.add(s.key);
                }
            }
            ctx = new RunContext(Map.of("Machine", "unknown (" + contextFile.getFileName() + " not found)"),
                    RunMode.FULL.cliName(), "unknown", suites, Parallel.maxThreads(), List.of(), List.of(), Map.of(),
                    null, null);
        }
        Path md = (outDir != null ? outDir : dir).resolve(name + ".md");
        ReportWriter.write(md, m, ctx);
        System.out.println("# wrote " + md);
    }

    private static Duration peerTimeout(RunMode mode) {
        return Duration.ofSeconds(mode == RunMode.FULL ? 900 : 300);
    }

    /**
     * The checkout the benchmarks belong to: the first directory holding {@code bench/pom.xml}, looking
     * up from the working directory and then from the jar's location; the working directory otherwise.
     */
    static Path repoRoot() {
        Path cwd = Path.of("").toAbsolutePath();
        Path found = findUp(cwd);
        if (found == null) {
            try {
                Path jar = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                found = findUp(jar.getParent());
            } catch (URISyntaxException | RuntimeException e) {
                found = null;
            }
        }
        return found != null ? found : cwd;
    }

    private static Path findUp(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("bench").resolve("pom.xml"))) {
                return p;
            }
        }
        return null;
    }
}
