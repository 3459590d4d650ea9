package dev.vectorgrad.bench;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/** BenchMain's command line. */
record BenchOptions(RunMode mode, Set<Suite> suites, Path outDir, String name, boolean peer, boolean gpu,
                    Path reportFrom, boolean help) {

    static final String USAGE = """
            usage: java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar [options]
              (or: ./vectorgrad bench [options])

            Runs the JMH benchmarks, the numpy peer and, for Gemm and Conv, the same operations on the
            "gpu" backend (OpenCL; "unavailable: <reason>" without a device), then Train: LeNet-5 and an
            MLP trained on Fashion-MNIST by vectorgrad (a child JVM per model) and by PyTorch
            (bench/peers/torch_train.py, torch threads 1 and 2), side by side. Writes
            bench/results/<date>-<cpu>[-quick].{json,context.json,md}.

              --quick            short measurements (2 x 0.5 s warmup, 3 x 0.5 s), smaller size sets,
                                 scalar reference skipped at large sizes; Train: 100 warm-up steps,
                                 then 300 steps extrapolated to an epoch (the full run: 5 whole epochs,
                                 no warm-up; the first, the warm (median of the others) and the best
                                 epoch; accuracy against the targets)
              --smoke            one 0.1 s iteration at the smallest sizes: checks the harness, numbers
                                 are not meaningful
              --only A,B         run only these of: %s
              --no-peer          do not run the peers (numpy_gemm.py, torch_train.py)
              --no-gpu           do not measure on the "gpu" backend
              --out DIR          write the files to DIR instead of bench/results
              --name NAME        base name of the files instead of <date>-<cpu>[-quick]
              --report-from F    render the report again from a saved F.json (and F.context.json)
                                 without running anything
              -h, --help         this text
            """.formatted(Suite.keys());

    static BenchOptions parse(String[] args) {
        RunMode mode = RunMode.FULL;
        Set<Suite> suites = EnumSet.allOf(Suite.class);
        Path outDir = null;
        String name = null;
        boolean peer = true;
        boolean gpu = true;
        Path reportFrom = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> mode = RunMode.QUICK;
                case "--smoke" -> mode = RunMode.SMOKE;
                case "--only" -> suites = Suite.parse(value(args, ++i, a));
                case "--no-peer" -> peer = false;
                case "--no-gpu" -> gpu = false;
                case "--out" -> outDir = Path.of(value(args, ++i, a));
                case "--name" -> name = fileName(value(args, ++i, a));
                case "--report-from" -> reportFrom = Path.of(value(args, ++i, a));
                case "-h", "--help" -> help = true;
                default -> {
                    if (a.startsWith("--only=")) {
                        suites = Suite.parse(a.substring("--only=".length()));
                    } else {
                        throw new IllegalArgumentException("unknown option '" + a + "'");
                    }
                }
            }
        }
        return new BenchOptions(mode, suites, outDir, name, peer, gpu, reportFrom, help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String fileName(String name) {
        if (name.isBlank() || name.contains("/") || name.startsWith(".")) {
            throw new IllegalArgumentException("--name must be a plain file name, got '" + name + "'");
        }
        return name;
    }
}
