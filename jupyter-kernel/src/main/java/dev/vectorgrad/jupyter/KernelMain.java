package dev.vectorgrad.jupyter;

import dev.vectorgrad.backend.Backends;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("install")) {
            System.exit(KernelSpecInstaller.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
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

        Session session;
        try {
            session = new Session();
            Backends.current(); // chooses the backend now, so its one-line notice goes to the log, not a cell
        } catch (Throwable t) {
            log.println("vectorgrad kernel: cannot start: " + t);
            t.printStackTrace(log);
            System.exit(1);
            return;
        }
        interruptOnSigint(session, log);
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(props);
        VectorgradKernel kernel = new VectorgradKernel(session, pump);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        log.println("vectorgrad kernel " + VectorgradKernel.VERSION + " ready (Java " + Runtime.version()
                + ", backend " + Backends.current().name() + ", pid " + ProcessHandle.current().pid() + ")");
        connection.waitUntilClose();
        log.println("vectorgrad kernel: shut down");
        // JShell, the engine's thread pool and the sockets' threads must not keep the JVM alive.
        System.exit(0);
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
