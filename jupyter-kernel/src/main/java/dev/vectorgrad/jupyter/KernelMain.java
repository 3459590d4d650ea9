package dev.vectorgrad.jupyter;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.jupyter.display.Renderers;
import dev.vectorgrad.tensor.Tensor;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of {@code vectorgrad-kernel.jar}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar vectorgrad-kernel.jar CONNECTION_FILE   # what Jupyter runs
 * java -jar vectorgrad-kernel.jar install [--user | --prefix DIR] [--java PATH] ...  # writes the kernelspec
 * </pre>
 */
public final class KernelMain {

    private KernelMain() {
    }

    /** The installer's training run for the ahead-of-time cache (see {@link KernelSpecInstaller}). */
    static final String AOT_TRAINING = "--aot-training";

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("install")) {
            System.exit(KernelSpecInstaller.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        if (args.length == 1 && args[0].equals(AOT_TRAINING)) {
            System.exit(aotTraining());
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: java --add-modules jdk.incubator.vector -jar vectorgrad-kernel.jar CONNECTION_FILE\n"
                    + "       java -jar vectorgrad-kernel.jar install [--user | --prefix DIR] [--java PATH]");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        PrintStream log = System.err;
        quietLogging();

        // From here on, System.out/err belong to the notebook: whatever a cell prints goes to the cell.
        OutputPump pump = new OutputPump(System.out, log);
        System.setOut(pump.stdoutStream());
        System.setErr(pump.stderrStream());
        System.setIn(InputStream.nullInputStream());

        ParentWatchdog.start(() -> {
            log.println("vectorgrad kernel: the process that started the kernel is gone; exiting");
            Runtime.getRuntime().halt(0);
        });

        // Start-up runs on both cores: JShell starts (its first compilation is the longest step) while the
        // engine picks its backend and the kernel connects to Jupyter and answers kernel_info. Requests
        // that need the session wait for it.
        CompletableFuture<Session> session = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                session.complete(new Session());
            } catch (Throwable t) {
                session.completeExceptionally(t);
            }
        }, "vectorgrad-session-start");
        starter.setDaemon(true);
        starter.start();
        Backends.current(); // chooses the backend now, so its one-line notice goes to the log, not a cell
        try {
            Renderers.render(Tensor.arange(6).reshape(2, 3)); // loads what showing a first tensor needs
        } catch (RuntimeException e) {
            log.println("vectorgrad kernel: rendering a tensor failed: " + e);
        }

        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(props);
        VectorgradKernel kernel = new VectorgradKernel(session, pump);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        Session ready;
        try {
            ready = session.join();
        } catch (RuntimeException e) {
            Throwable t = e.getCause() != null ? e.getCause() : e;
            log.println("vectorgrad kernel: cannot start: " + t);
            t.printStackTrace(log);
            System.exit(1);
            return;
        }
        interruptOnSigint(ready, log);
        log.println("vectorgrad kernel " + VectorgradKernel.VERSION + " ready (Java " + Runtime.version()
                + ", backend " + Backends.current().name() + ", pid " + ProcessHandle.current().pid() + ", "
                + java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() + " ms after launch)");
        // while no one is asking: warm up what the first cell will need
        ready.warmUp(kernel::idle);
        // then, whenever nobody uses the kernel, get the training kernels compiled (once)
        if (IdleWarmup.enabled()) {
            IdleWarmup.start(ready, () -> kernel.quietFor(IdleWarmup.QUIET_MILLIS), log);
        }
        connection.waitUntilClose();
        log.println("vectorgrad kernel: shut down");
        // JShell, the engine's thread pool and the sockets' threads must not keep the JVM alive.
        System.exit(0);
    }

    /**
     * What a kernel does first, once: start JShell, compile and run cells that use the engine, render
     * tables, pictures and charts, train a little with the live display, complete and inspect. Run under
     * {@code -XX:AOTCacheOutput}, it leaves the JVM's cache of the classes and method profiles involved.
     */
    static int aotTraining() {
        System.setProperty("java.awt.headless", "true");
        String[] cells = {
            "var x = Tensor.arange(12).reshape(3, 4);\nx.matmul(x.t())",
            "System.out.println(\"sum = \" + x.sum().item());",
            "show(Tensor.rand(28, 28))",
            "var model = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 2));\nmodel.summary(1, 2)",
            "var h = Trainer.fit(model, Synthetic.circle(64, 0.1, 1L), Loss.crossEntropy(), new Adam(model.parameters(), 1e-2),"
                    + " Fit.epochs(2).batchSize(16));\nh",
            "int f(int n) { return n < 2 ? n : f(n - 1) + f(n - 2); }\nf(20)",
            "%timeit -r 2 -n 2 x.add(1)",
        };
        try (Session s = new Session()) {
            int n = 0;
            for (String cell : cells) {
                try {
                    s.eval(cell, ++n, CellOutput.NONE);
                } catch (CellException e) {
                    System.err.println("training cell " + n + " failed: " + e.text());
                    return 1;
                }
            }
            try {
                s.eval("Tensor.zeroz(2)", ++n, CellOutput.NONE);
            } catch (CellException expected) {
                // a compile error, as cells have them
            }
            s.complete("Tensor.ze", 9);
            s.inspect("Tensor.arange(", 14, false);
            s.isComplete("for (int i = 0; i < 3; i++) {");
        }
        return 0;
    }

    /**
     * The kernelspec asks Jupyter for message-based interrupts, but a front end that sends SIGINT
     * anyway must not end the JVM: treat the signal as an interrupt request.
     */
    private static void interruptOnSigint(Session session, PrintStream log) {
        // jdk.unsupported's sun.misc.Signal, reached reflectively so the build has no internal-API warnings
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object h = java.lang.reflect.Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                    (proxy, method, args) -> {
                        if (method.getName().equals("handle")) {
                            session.interrupt();
                        }
                        return null;
                    });
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance("INT"), h);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.println("vectorgrad kernel: SIGINT stays the JVM's default (" + e + ")");
        }
    }

    /** The base kernel logs every message at INFO; keep the server log to warnings. */
    private static void quietLogging() {
        String level = System.getenv("VECTORGRAD_KERNEL_LOG");
        Level l = "debug".equalsIgnoreCase(level) ? Level.INFO : Level.WARNING;
        for (Handler h : Logger.getLogger("").getHandlers()) {
            h.setLevel(l);
        }
    }
}
