package dev.vectorgrad.bench;

import dev.vectorgrad.train.Warmup;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The training comparison: per model, {@link TrainBench} in a child JVM of its own (JIT and GC state
 * isolated, the JMH forks' flags, vectorgrad's default threads: all cores or {@code -Dvectorgrad.threads})
 * and {@code bench/peers/torch_train.py} once per torch thread count, all with the same protocol. The
 * full mode trains 5 whole epochs without warm-up, so the first epoch is what a user waits for on a cold
 * start and the accuracy targets apply, and runs vectorgrad a second time after the Jupyter kernel's idle
 * JIT warm-up; the short modes warm up and time a truncated epoch.
 */
final class TrainRun {

    static final String SCRIPT = "bench/peers/torch_train.py";
    static final String INSTALL_TORCH = "install python3-torch libopenblas0-pthread";
    /** The peer's environment loses these, so OpenBLAS picks its kernel for this CPU as a user's would. */
    static final Set<String> UNSET = Set.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    private TrainRun() {
    }

    static TrainResult.Protocol protocol(RunMode mode) {
        return switch (mode) {
            case FULL -> new TrainResult.Protocol(TrainModel.TARGET_EPOCHS, 0, 0);
            case QUICK -> new TrainResult.Protocol(1, 300, 100);
            case SMOKE -> new TrainResult.Protocol(1, 20, 5);
        };
    }

    private static Duration timeout(RunMode mode) {
        return Duration.ofSeconds(mode == RunMode.FULL ? 1800 : 600);
    }

    /** 1 and 2 threads, and all cores when there are more. */
    static List<Integer> torchThreads(int allThreads) {
        Set<Integer> t = new LinkedHashSet<>(List.of(1, 2));
        t.add(Math.max(1, allThreads));
        return List.copyOf(t);
    }

    static TrainResult run(Path root, RunMode mode, boolean peer, int allThreads) {
        TrainResult.Protocol p = protocol(mode);
        List<String> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String torchMissing = peer ? preflight(root) : "not run (--no-peer)";
        for (TrainModel model : TrainModel.values()) {
            for (int jitWarmup : jitWarmups(p)) {
                ChildProcess.Outcome vg = ChildProcess.run(javaCommand(model, p, jitWarmup), null, Map.of(), Set.of(),
                        timeout(mode), "#   ");
                lines.addAll(vg.jsonLines());
                if (vg.exit() == TrainBench.DATA_MISSING) {
                    return new TrainResult(dataMissing(vg), p, lines, problems);
                }
                if (!vg.ok()) {
                    problems.add("vectorgrad " + model.key + (jitWarmup > 0 ? " after the idle warm-up" : "") + ": "
                            + vg.error());
                }
            }
            for (int[] config : torchConfigs(allThreads)) {
                if (torchMissing != null) {
                    break;
                }
                int t = config[0];
                ChildProcess.Outcome pt = ChildProcess.run(torchCommand(root, model, t, config[1], p), root,
                        torchEnv(config[1]), UNSET, timeout(mode), "#   ");
                lines.addAll(pt.jsonLines());
                if (!pt.ok()) {
                    String why = NumpyPeer.withHint(pt.error()).replace(NumpyPeer.INSTALL_HINT, INSTALL_TORCH);
                    if (why.contains("No module named 'torch'")) {
                        torchMissing = why;
                    } else {
                        problems.add("PyTorch " + model.key + ", " + t + " thread(s), OpenBLAS " + config[1] + ": " + why);
                    }
                }
            }
        }
        if (torchMissing != null) {
            problems.add("PyTorch: " + torchMissing);
        }
        return new TrainResult(null, p, lines, problems);
    }

    /** Why the peer cannot run at all, or null. */
    private static String preflight(Path root) {
        if (!Files.isRegularFile(root.resolve(SCRIPT))) {
            return SCRIPT + " is not in this checkout (" + root + ")";
        }
        if (!Files.isExecutable(Path.of(NumpyPeer.PYTHON))) {
            return NumpyPeer.PYTHON + " not found (" + INSTALL_TORCH + ")";
        }
        return null;
    }

    /** TrainBench's message (from its "TrainBench: " line on), which names the files and how to get them. */
    private static String dataMissing(ChildProcess.Outcome vg) {
        List<String> err = vg.stderr();
        int from = 0;
        while (from < err.size() && !err.get(from).startsWith("TrainBench: ")) {
            from++;
        }
        String msg = from < err.size() ? String.join(" ", err.subList(from, err.size())).substring(12) : "";
        return msg.isBlank() ? "Fashion-MNIST not found (install dataset-fashion-mnist)" : msg;
    }

    /** The options both programs take for a protocol: {@code --epochs E --warmup W [--steps S]}. */
    static List<String> protocolArgs(TrainResult.Protocol p) {
        List<String> a = new ArrayList<>(List.of("--epochs", Integer.toString(p.epochs()), "--warmup",
                Integer.toString(p.warmup())));
        if (p.steps() > 0) {
            a.addAll(List.of("--steps", Integer.toString(p.steps())));
        }
        return a;
    }

    /**
     * vectorgrad's runs of a protocol: a fresh process (0), and, when the first epoch is timed, also one that
     * first runs the Jupyter kernel's idle JIT warm-up, {@link Warmup#DEFAULT_STEPS} steps on its own models:
     * what a notebook's first epoch is like.
     */
    static List<Integer> jitWarmups(TrainResult.Protocol p) {
        // Read at run time, not inlined as a constant: a bench built before the engine changed still runs its count.
        return p.warmup() == 0 ? List.of(0, new Warmup().steps()) : List.of(0);
    }

    static List<String> javaCommand(TrainModel model, TrainResult.Protocol p, int jitWarmup) {
        List<String> flags = List.of(JmhRunner.forkJvmArgs());
        List<String> args = new ArrayList<>(List.of(TrainBench.class.getName(), "--model", model.key));
        args.addAll(protocolArgs(p));
        if (jitWarmup > 0) {
            args.addAll(List.of("--jit-warmup", Integer.toString(jitWarmup)));
        }
        System.out.println("# train: java " + String.join(" ", flags) + " -cp <this jar> " + String.join(" ", args));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.add("-cp");
        cmd.add(absoluteClassPath());
        cmd.addAll(args);
        return cmd;
    }

    /**
     * PyTorch's configurations as {torch threads, OpenBLAS threads}. torch.set_num_threads does not reach the
     * OpenBLAS this torch build calls for its linear layers (by default one thread per core), so each torch
     * thread count runs with OPENBLAS_NUM_THREADS equal to it (2 x 2 threads on 2 cores swung between 14 and
     * 178 s per epoch), plus torch's default: 1 thread with OpenBLAS on every core, the fastest for the MLP.
     */
    static List<int[]> torchConfigs(int allThreads) {
        List<int[]> configs = new ArrayList<>();
        for (int t : torchThreads(allThreads)) {
            configs.add(new int[] {t, t});
            if (t == 1 && allThreads > 1) {
                configs.add(new int[] {1, allThreads});
            }
        }
        return configs;
    }

    static Map<String, String> torchEnv(int blasThreads) {
        return Map.of("PYTHONUNBUFFERED", "1", "OPENBLAS_NUM_THREADS", Integer.toString(blasThreads));
    }

    static List<String> torchCommand(Path root, TrainModel model, int threads, int blasThreads,
                                     TrainResult.Protocol p) {
        List<String> args = new ArrayList<>(List.of("--models", model.key, "--threads", Integer.toString(threads)));
        args.addAll(protocolArgs(p));
        System.out.println("# train: env -u " + String.join(" -u ", UNSET.stream().sorted().toList())
                + " OPENBLAS_NUM_THREADS=" + blasThreads + " " + NumpyPeer.PYTHON + " " + SCRIPT + " " + String.join(" ", args));
        List<String> cmd = new ArrayList<>(List.of(NumpyPeer.PYTHON, root.resolve(SCRIPT).toString()));
        cmd.addAll(args);
        return cmd;
    }

    /** This JVM's class path with every entry absolute, so the child finds it from any directory. */
    private static String absoluteClassPath() {
        List<String> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            out.add(e.isEmpty() ? e : Path.of(e).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, out);
    }
}
