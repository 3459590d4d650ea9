package dev.vectorgrad.optim;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.io.Json;
import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every optimizer, several steps, against PyTorch: {@code optim_reference.py} runs the same problems
 * with torch.optim and writes the parameters after each step; here both update paths (the fused host
 * loops and the composed tensor operations) must reproduce them to 1e-5 relative. The schedules must
 * produce PyTorch's learning rates exactly. Skipped, with the reason, where python3 or torch is
 * missing.
 */
class OptimTorchTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-6;

    private static Map<?, ?> reference;

    @BeforeAll
    static void runPyTorch() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no " + PYTHON + " on this machine; the PyTorch comparison is skipped");
        Path script = Path.of(OptimTorchTest.class.getResource("/python/optim_reference.py").toURI());
        Path out = Files.createTempFile("optim_reference", ".json");
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-B", script.toString(), out.toString())
                    .redirectErrorStream(true).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("optim_reference.py did not finish within 120 s");
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assumeTrue(p.exitValue() != 77, () -> "PyTorch comparison skipped: " + output);
            assertEquals(0, p.exitValue(), () -> "optim_reference.py failed:\n" + output);
            reference = (Map<?, ?>) Json.parse(Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    @TestFactory
    List<DynamicTest> optimizersMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Object o : (List<?>) reference.get("cases")) {
            Map<?, ?> c = (Map<?, ?>) o;
            for (boolean fused : new boolean[] {true, false}) {
                tests.add(DynamicTest.dynamicTest(c.get("name") + (fused ? " (host loops)" : " (tensor ops)"),
                        () -> runCase(c, fused)));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> schedulesMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Object o : (List<?>) reference.get("schedules")) {
            Map<?, ?> s = (Map<?, ?>) o;
            tests.add(DynamicTest.dynamicTest((String) s.get("name"), () -> runSchedule(s)));
        }
        return tests;
    }

    private static void runCase(Map<?, ?> c, boolean fused) {
        String name = (String) c.get("name");
        Map<String, Parameter> params = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) c.get("params")).entrySet()) {
            params.put((String) e.getKey(), new Parameter(tensor((Map<?, ?>) e.getValue())));
        }
        Map<String, Tensor> data = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) c.get("data")).entrySet()) {
            data.put((String) e.getKey(), tensor((Map<?, ?>) e.getValue()));
        }
        Optimizer opt = optimizer((String) c.get("optimizer"), (Map<?, ?>) c.get("options"),
                new ArrayList<>(params.values()));
        opt.hostKernels = fused;
        List<?> lrs = (List<?>) c.get("lrs");
        List<?> trajectory = (List<?>) c.get("trajectory");
        for (int step = 0; step < trajectory.size(); step++) {
            if (lrs != null) {
                opt.setLr(((Number) lrs.get(step)).doubleValue());
            }
            opt.zeroGrad();
            if (c.get("problem").equals("quadratic")) {
                try (var g = Grad.off()) {
                    Tensor w = params.get("w").value();
                    Tensor b = params.get("b").value();
                    w.setGrad(data.get("a_w").mul(w).add(data.get("c_w")));
                    b.setGrad(data.get("a_b").mul(b).add(data.get("c_b")));
                }
            } else {
                Tensor loss = data.get("x").matmul(params.get("W").value()).add(params.get("bias").value())
                        .sub(data.get("y")).pow(2f).mean();
                loss.backward();
            }
            opt.step();
            Map<?, ?> want = (Map<?, ?>) trajectory.get(step);
            for (Map.Entry<String, Parameter> p : params.entrySet()) {
                float[] got = p.getValue().value().toArray();
                List<?> exp = (List<?>) want.get(p.getKey());
                for (int i = 0; i < got.length; i++) {
                    double e = ((Number) exp.get(i)).doubleValue();
                    if (Math.abs(got[i] - e) > ATOL + RTOL * Math.abs(e)) {
                        fail(String.format("%s: after step %d, %s[%d] is %.9g but PyTorch has %.9g (difference %.3g)",
                                name, step + 1, p.getKey(), i, got[i], e, got[i] - e));
                    }
                }
            }
        }
        if (params.containsKey("u")) {
            assertNull(opt.stateOf(params.get("u")), name + ": u never had a gradient, so it has no state");
        }
        assertEquals(trajectory.size(), opt.stepCount());
    }

    private static void runSchedule(Map<?, ?> s) {
        Optimizer opt = new SGD(List.of(new Parameter(Tensor.zeros(1))), ((Number) s.get("lr")).doubleValue());
        Map<?, ?> o = (Map<?, ?>) s.get("options");
        LRScheduler sched = switch ((String) s.get("scheduler")) {
            case "StepLR" -> o.containsKey("gamma")
                    ? new StepLR(opt, num(o, "step_size").intValue(), num(o, "gamma").doubleValue())
                    : new StepLR(opt, num(o, "step_size").intValue());
            case "ExponentialLR" -> new ExponentialLR(opt, num(o, "gamma").doubleValue());
            default -> throw new AssertionError("unknown scheduler " + s.get("scheduler"));
        };
        List<Double> got = new ArrayList<>();
        got.add(sched.lr());
        int epochs = num(s, "epochs").intValue();
        for (int e = 0; e < epochs; e++) {
            opt.step();
            sched.step();
            got.add(sched.lr());
        }
        List<Double> want = ((List<?>) s.get("lrs")).stream().map(v -> ((Number) v).doubleValue()).toList();
        assertEquals(want, got, s.get("name") + ": learning rates, epoch by epoch");
        assertEquals(epochs, sched.lastEpoch());
    }

    private static Optimizer optimizer(String name, Map<?, ?> o, List<Parameter> params) {
        return switch (name) {
            case "SGD" -> {
                var b = SGD.builder(params).lr(num(o, "lr").doubleValue());
                if (o.containsKey("momentum")) {
                    b.momentum(num(o, "momentum").doubleValue());
                }
                if (o.containsKey("dampening")) {
                    b.dampening(num(o, "dampening").doubleValue());
                }
                if (o.containsKey("weight_decay")) {
                    b.weightDecay(num(o, "weight_decay").doubleValue());
                }
                if (o.containsKey("nesterov")) {
                    b.nesterov((Boolean) o.get("nesterov"));
                }
                yield b.build();
            }
            case "Adagrad" -> {
                var b = Adagrad.builder(params);
                if (o.containsKey("lr")) {
                    b.lr(num(o, "lr").doubleValue());
                }
                if (o.containsKey("lr_decay")) {
                    b.lrDecay(num(o, "lr_decay").doubleValue());
                }
                if (o.containsKey("weight_decay")) {
                    b.weightDecay(num(o, "weight_decay").doubleValue());
                }
                if (o.containsKey("initial_accumulator_value")) {
                    b.initialAccumulatorValue(num(o, "initial_accumulator_value").doubleValue());
                }
                if (o.containsKey("eps")) {
                    b.eps(num(o, "eps").doubleValue());
                }
                yield b.build();
            }
            case "Adadelta" -> {
                var b = Adadelta.builder(params);
                if (o.containsKey("lr")) {
                    b.lr(num(o, "lr").doubleValue());
                }
                if (o.containsKey("rho")) {
                    b.rho(num(o, "rho").doubleValue());
                }
                if (o.containsKey("eps")) {
                    b.eps(num(o, "eps").doubleValue());
                }
                if (o.containsKey("weight_decay")) {
                    b.weightDecay(num(o, "weight_decay").doubleValue());
                }
                yield b.build();
            }
            case "RMSprop" -> {
                var b = RMSprop.builder(params);
                if (o.containsKey("lr")) {
                    b.lr(num(o, "lr").doubleValue());
                }
                if (o.containsKey("alpha")) {
                    b.alpha(num(o, "alpha").doubleValue());
                }
                if (o.containsKey("eps")) {
                    b.eps(num(o, "eps").doubleValue());
                }
                if (o.containsKey("weight_decay")) {
                    b.weightDecay(num(o, "weight_decay").doubleValue());
                }
                if (o.containsKey("momentum")) {
                    b.momentum(num(o, "momentum").doubleValue());
                }
                if (o.containsKey("centered")) {
                    b.centered((Boolean) o.get("centered"));
                }
                yield b.build();
            }
            case "Adam" -> {
                var b = Adam.builder(params);
                if (o.containsKey("lr")) {
                    b.lr(num(o, "lr").doubleValue());
                }
                if (o.containsKey("betas")) {
                    List<?> betas = (List<?>) o.get("betas");
                    b.betas(((Number) betas.get(0)).doubleValue(), ((Number) betas.get(1)).doubleValue());
                }
                if (o.containsKey("eps")) {
                    b.eps(num(o, "eps").doubleValue());
                }
                if (o.containsKey("weight_decay")) {
                    b.weightDecay(num(o, "weight_decay").doubleValue());
                }
                if (o.containsKey("amsgrad")) {
                    b.amsgrad((Boolean) o.get("amsgrad"));
                }
                yield b.build();
            }
            default -> throw new AssertionError("unknown optimizer " + name);
        };
    }

    private static Number num(Map<?, ?> m, String key) {
        return (Number) m.get(key);
    }

    private static Tensor tensor(Map<?, ?> entry) {
        List<?> shape = (List<?>) entry.get("shape");
        List<?> values = (List<?>) entry.get("values");
        int[] s = new int[shape.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = ((Number) shape.get(i)).intValue();
        }
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = ((Number) values.get(i)).floatValue();
        }
        return Tensor.fromArray(v, s);
    }
}
