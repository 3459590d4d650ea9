package dev.vectorgrad.jupyter;

import dev.vectorgrad.jupyter.display.MimeBundle;
import dev.vectorgrad.jupyter.display.Renderers;
import dev.vectorgrad.jupyter.magic.CellParser;
import dev.vectorgrad.jupyter.magic.Magics;
import dev.vectorgrad.tensor.Tensor;
import dev.vectorgrad.train.Trainer;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;

import java.io.File;
import java.net.MalformedURLException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A notebook session: JShell running snippets in this JVM, the engine imported, cells split into
 * snippets and magics, values rendered by type, errors pointed at the user's lines, interrupts, and
 * completion/inspection/completeness for the front end. Independent of the Jupyter wire protocol
 * ({@link VectorgradKernel} adapts it), so it can be driven directly from tests.
 *
 * <p>One cell runs at a time ({@link #eval} is serialized); {@link #interrupt()} may be called from
 * any thread.
 */
public final class Session implements AutoCloseable {

    private static volatile Session active;
    private static final AtomicLong DISPLAY_IDS = new AtomicLong();

    /** How long an interrupt keeps re-sending stop requests while the cell has not ended. */
    private static final long STOP_RETRY_MS = 10_000;
    /** After this long without the cell ending, the user is told why it has not stopped yet. */
    private static final long STOP_NOTICE_MS = 2_000;

    private final KernelClassLoader loader;
    private final KernelExecutionControl control;
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();
    private final List<String> imports = new ArrayList<>();
    private final Set<Path> classpath = new LinkedHashSet<>();
    private final Magics magics;
    private final SourceDocs sourceDocs;
    private final Object evalLock = new Object();
    private final AtomicLong internalNames = new AtomicLong();

    private volatile CellOutput out = CellOutput.NONE;
    /** Display ids handed out while the current cell runs. */
    private final Set<String> cellDisplayIds = ConcurrentHashMap.newKeySet();
    private Snippet lastSnippet;
    /**
     * Variables the cell's expressions were kept in ({@code $1}, {@code $2}, ...) with their wrapper
     * classes. The kernel shows a value itself and nothing names them, so they are dropped when the
     * cell ends: otherwise re-running a cell whose value is a large tensor keeps every copy.
     */
    private final Map<Snippet, Class<?>> cellTemporaries = new java.util.LinkedHashMap<>();
    /** Wrapper class of each variable declared, to release its value when a declaration of another type replaces it. */
    private final Map<String, Class<?>> variableClasses = new ConcurrentHashMap<>();
    private volatile boolean running;
    private volatile boolean interruptRequested;

    /** The last value of a cell, or of a part of one; {@code null} means "nothing to show". */
    public record Value(Object object) {
    }

    public Session() {
        this.loader = new KernelClassLoader(Session.class.getClassLoader());
        this.control = new KernelExecutionControl(loader);
        JShell.Builder b = JShell.builder().executionEngine(control.provider(), Map.of());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            b.compilerOptions("--add-modules", "jdk.incubator.vector");
        }
        this.shell = b.build();
        this.analysis = shell.sourceCodeAnalysis();
        for (Class<?> c : List.of(Tensor.class, Session.class)) {
            Path p = DefaultImports.locationOf(c);
            if (p != null && classpath.add(p)) {
                shell.addToClasspath(p.toString());
            }
        }
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isBlank()) {
                classpath.add(Path.of(e).toAbsolutePath());
            }
        }
        this.magics = Magics.builtIn();
        this.sourceDocs = new SourceDocs(loader, DefaultImports.DOCUMENTED_PACKAGES);
        // Finding the engine's classes (for the imports) reads the jar and loads classes: do it on the
        // other core while JShell compiles its first snippet, the longest step of start-up.
        List<Path> roots = List.copyOf(classpath);
        java.util.concurrent.CompletableFuture<List<String>> defaultImports = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> DefaultImports.compute(roots, loader), Session::runOnDaemon);
        selfTest();
        List<String> wanted = defaultImports.join();
        if (!importTogether(wanted)) {
            for (String imp : wanted) {
                List<SnippetEvent> ev = shell.eval(imp);
                if (!ev.isEmpty() && ev.get(0).status() != Snippet.Status.REJECTED) {
                    imports.add(imp);
                } else {
                    System.err.println("vectorgrad kernel: default import skipped: " + imp);
                }
            }
        }
        Renderers.loadServices(loader);
        active = this;
        // fit() in a cell draws one live progress display instead of printing lines
        Trainer.setDefaultProgress(NotebookProgress::forActiveSession);
    }

    /**
     * Enters the default imports as one snippet (see {@link SessionImports}): one compilation rather
     * than one per import, a second off every start. False, with nothing kept, when that snippet is
     * not accepted; the imports then go in one by one.
     */
    private boolean importTogether(List<String> wanted) {
        String src = "import " + SessionImports.class.getName() + ";\n" + String.join("\n", wanted);
        List<SnippetEvent> ev = shell.eval(src);
        SnippetEvent main = ev.stream().filter(e -> e.causeSnippet() == null).findFirst().orElse(null);
        if (main != null && main.status() == Snippet.Status.VALID && main.snippet().kind() == Snippet.Kind.IMPORT) {
            imports.addAll(wanted);
            return true;
        }
        if (main != null) {
            shell.drop(main.snippet());
        }
        return false;
    }

    /** Runs {@code work} under the lock cells run under: no cell runs meanwhile. */
    void exclusive(Runnable work) {
        synchronized (evalLock) {
            work.run();
        }
    }

    private static void runOnDaemon(Runnable r) {
        Thread t = new Thread(r, "vectorgrad-start");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Makes the first cell faster by doing once what any cell does (compiling a snippet that uses the
     * engine, running it, rendering a tensor, completing a name), unless a cell or a request has come in
     * meanwhile: {@code idle} is asked between the steps. Leaves nothing behind in the session.
     */
    public void warmUp(java.util.function.BooleanSupplier idle) {
        String[] steps = {"Tensor.arange(6).reshape(2, 3).add(1)", "int vgWarm$ = 1;"};
        for (String code : steps) {
            if (!idle.getAsBoolean()) {
                return;
            }
            synchronized (evalLock) {
                List<SnippetEvent> events = shell.eval(code);
                Object v = control.takeValue();
                Class<?> wrapper = control.takeInvokedClass();
                for (SnippetEvent e : events) {
                    if (e.causeSnippet() == null) {
                        shell.drop(e.snippet());
                        if (wrapper != null && e.snippet() instanceof jdk.jshell.VarSnippet var) {
                            KernelExecutionControl.release(wrapper, var.name());
                        }
                    }
                }
                if (v != null) {
                    Renderers.render(v);
                }
            }
        }
        if (idle.getAsBoolean()) {
            synchronized (evalLock) {
                complete("Tensor.ze", 9);
            }
        }
    }

    /** The session cells talk to ({@link Notebook}); the most recently created one. */
    static Session active() {
        return active;
    }

    static String newDisplayId() {
        return "vg-" + ProcessHandle.current().pid() + "-" + DISPLAY_IDS.incrementAndGet();
    }

    /**
     * JShell's in-process execution swallows failures to run snippet code (every value null, no
     * output). Check once that a snippet's value comes back, and fail loudly if not.
     */
    private void selfTest() {
        checkExecution(shell, control);
    }

    /** The start-up check of {@link #selfTest()}: fails unless {@code 1 + 1} run in {@code shell} hands 2 to {@code control}. */
    static void checkExecution(JShell shell, KernelExecutionControl control) {
        List<SnippetEvent> ev = shell.eval("1 + 1");
        Object v = control.hasValue() ? control.takeValue() : null;
        if (ev.isEmpty() || !Integer.valueOf(2).equals(v)) {
            String status = ev.isEmpty() ? "no event" : ev.get(0).status() + ", value " + ev.get(0).value();
            throw new IllegalStateException("JShell could not run code in this JVM (" + status + "). The kernel needs"
                    + " the jdk.jshell module and reflective access to snippet classes; check the java command in the"
                    + " kernelspec (java -jar vectorgrad-kernel.jar ...).");
        }
        ev.forEach(e -> shell.drop(e.snippet()));
    }

    // ------------------------------------------------------------------ running cells

    /**
     * Runs a cell and returns the representation of its value, if its last part has one. Output and
     * displays go to {@code out} while it runs. Fails with a {@link CellException} for compile
     * errors, exceptions, interrupts and magic errors; the session stays usable in every case.
     */
    public Optional<MimeBundle> eval(String code, int executionCount, CellOutput out) throws CellException {
        synchronized (evalLock) {
            this.out = out == null ? CellOutput.NONE : out;
            interruptRequested = false;
            control.setCancelled(false);
            Interrupts.clear();
            cellDisplayIds.clear();
            running = true;
            try {
                Value v = run(code, "cell [" + executionCount + "]", 0);
                if (v == null || !worthShowing(v.object())) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Renderers.render(v.object()));
                } catch (Error e) {
                    if (interruptRequested) {
                        throw Errors.interrupted(); // stopped inside the value's own toString()
                    }
                    throw e;
                }
            } finally {
                releaseTemporaries();
                running = false;
                control.setCancelled(false);
                Interrupts.clear();
                Thread.interrupted(); // a stop aimed at snippet threads must not linger here
            }
        }
    }

    /**
     * Whether a cell's last value says anything: not when it is the display id that {@code show(x)} or
     * {@code display(x)} just returned (the picture is the answer), nor the standard stream that
     * {@code System.out.printf(...)} returns.
     */
    private boolean worthShowing(Object value) {
        if (value instanceof String id && cellDisplayIds.contains(id)) {
            return false;
        }
        return value != System.out && value != System.err;
    }

    /** Runs code that may mix Java and magics (a cell, a loaded file); {@code where} names it in errors. */
    public Value run(String code, String where, int firstLine) throws CellException {
        List<CellParser.Segment> segments;
        try {
            segments = CellParser.parse(code);
        } catch (IllegalArgumentException e) {
            throw CellException.simple("UsageError", e.getMessage());
        }
        Value last = null;
        for (CellParser.Segment s : segments) {
            checkInterrupted();
            last = switch (s) {
                case CellParser.Java j -> runJava(j.code(), where, firstLine + j.line());
                case CellParser.LineMagic m -> magics.runLine(this, m.name(), m.args());
                case CellParser.CellMagic m -> magics.runCell(this, m.name(), m.args(), m.body(), where, firstLine + m.line() + 1);
            };
        }
        return last;
    }

    /** Runs Java source (one or more snippets); returns the last snippet's value if it is an expression. */
    public Value runJava(String code, String where, int firstLine) throws CellException {
        Value last = null;
        int pos = 0;
        String rest = code;
        while (true) {
            checkInterrupted();
            SourceCodeAnalysis.CompletionInfo ci = analysis.analyzeCompletion(rest);
            Completeness c = ci.completeness();
            if (c == Completeness.EMPTY) {
                break;
            }
            String src;
            String remaining;
            if (c == Completeness.COMPLETE || c == Completeness.COMPLETE_WITH_SEMI) {
                src = ci.source();
                remaining = ci.remaining();
            } else {
                src = rest; // incomplete or erroneous: compile it as it is for the compiler's message
                remaining = "";
            }
            src = src.stripLeading(); // line 1 of the snippet is then the line it starts on, for traces and carets
            int start = locate(code, pos, src);
            pos = code.length() - remaining.length();
            rest = remaining;
            last = evalSnippet(src, new Origin(where, code, start, firstLine));
            if (rest.isBlank()) {
                break;
            }
        }
        return last;
    }

    private static int locate(String code, int from, String src) {
        int at = code.indexOf(src, from);
        if (at < 0 && src.endsWith(";")) {
            at = code.indexOf(src.substring(0, src.length() - 1), from);
        }
        if (at < 0) {
            at = from;
            while (at < code.length() && Character.isWhitespace(code.charAt(at))) {
                at++;
            }
        }
        return at;
    }

    /** Drops the cell's expression variables and lets their values go. */
    private void releaseTemporaries() {
        for (Map.Entry<Snippet, Class<?>> e : cellTemporaries.entrySet()) {
            shell.drop(e.getKey());
            if (e.getValue() != null && e.getKey() instanceof jdk.jshell.VarSnippet v) {
                KernelExecutionControl.release(e.getValue(), v.name());
            }
        }
        cellTemporaries.clear();
    }

    /**
     * Keeps track of where variables live: a replaced variable whose class is not the new one still
     * holds its value (JShell makes a new class when the type changes): release it.
     */
    private void trackVariables(List<SnippetEvent> events, Snippet main, Class<?> invoked) {
        for (SnippetEvent e : events) {
            if (e.snippet() instanceof jdk.jshell.VarSnippet v && e.snippet() != main
                    && (e.status() == Snippet.Status.OVERWRITTEN || e.status() == Snippet.Status.DROPPED)
                    && e.previousStatus().isActive()) {
                Class<?> old = variableClasses.get(v.id());
                if (old != null && old != invoked) {
                    KernelExecutionControl.release(old, v.name());
                }
                variableClasses.remove(v.id());
            }
        }
        if (main instanceof jdk.jshell.VarSnippet v && invoked != null) {
            if (v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                cellTemporaries.put(v, invoked);
            } else {
                variableClasses.put(v.id(), invoked);
            }
        }
    }

    private Value evalSnippet(String src, Origin origin) throws CellException {
        lastSnippet = null;
        control.takeInvokedClass();
        List<SnippetEvent> events = shell.eval(src);
        Class<?> invoked = control.takeInvokedClass();
        SnippetEvent main = null;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() == null) {
                main = e;
                break;
            }
        }
        boolean had = control.hasValue();
        Object value = control.takeValue();
        if (main == null) {
            if (interruptRequested) {
                throw Errors.interrupted();
            }
            return null;
        }
        Snippet sn = main.snippet();
        lastSnippet = sn;
        origins.put(sn.id(), origin);
        if (main.status() != Snippet.Status.REJECTED) {
            trackVariables(events, sn, invoked);
        }
        if (main.status() == Snippet.Status.REJECTED) {
            List<Diag> diags = shell.diagnostics(sn).filter(Diag::isError).toList();
            throw Errors.compile(diags, origin);
        }
        if (interruptRequested) {
            // whatever the cell threw on its way out (an InterruptedException, say) is a consequence
            throw Errors.interrupted(main.exception());
        }
        if (main.exception() != null) {
            throw Errors.runtime(main.exception(), origins::get, this::unresolvedMessage);
        }
        if (main.status() == Snippet.Status.RECOVERABLE_DEFINED && sn instanceof DeclarationSnippet d) {
            String missing = shell.unresolvedDependencies(d).collect(Collectors.joining(", "));
            if (!missing.isEmpty()) {
                out.stderr("note: " + d.name() + " is defined, but cannot be used until " + missing + " is declared\n");
            }
        }
        if (!had) {
            return null;
        }
        return switch (sn.subKind()) {
            case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> new Value(value);
            default -> null;
        };
    }

    private String unresolvedMessage(UnresolvedReferenceException e) {
        DeclarationSnippet d = e.getSnippet();
        String missing = shell.unresolvedDependencies(d).collect(Collectors.joining(", "));
        return d.name() + " cannot be used until " + (missing.isEmpty() ? "its missing declarations are" : missing + " is")
                + " declared";
    }

    private void checkInterrupted() throws CellException {
        if (interruptRequested) {
            throw Errors.interrupted();
        }
    }

    // ------------------------------------------------------------------ for magics

    /** Declares a snippet (method, class, variable) for the kernel's own use; rejected ones fail. */
    public Snippet declare(String src, String where) throws CellException {
        List<SnippetEvent> events = shell.eval(src);
        control.takeValue();
        SnippetEvent main = events.stream().filter(e -> e.causeSnippet() == null).findFirst().orElse(null);
        if (main == null) {
            throw CellException.simple("InternalError", "could not declare: " + src);
        }
        Origin origin = new Origin(where, src, 0, 0);
        origins.put(main.snippet().id(), origin);
        if (main.status() == Snippet.Status.REJECTED) {
            throw Errors.compile(shell.diagnostics(main.snippet()).filter(Diag::isError).toList(), origin);
        }
        if (main.status() != Snippet.Status.VALID && main.snippet() instanceof DeclarationSnippet d) {
            // JShell accepts a declaration that uses undefined names, for them to be declared later;
            // the kernel's own declarations must compile now.
            List<String> missing = shell.unresolvedDependencies(d).toList();
            List<Diag> diags = shell.diagnostics(d).filter(Diag::isError).toList();
            shell.drop(d);
            if (!diags.isEmpty()) {
                throw Errors.compile(diags, origin);
            }
            throw Errors.unresolved(missing, origin);
        }
        if (main.exception() != null) {
            throw Errors.runtime(main.exception(), origins::get, this::unresolvedMessage);
        }
        return main.snippet();
    }

    /** True when {@code src} compiles as a declaration here; nothing is kept either way. */
    public boolean compiles(String src) {
        List<SnippetEvent> events = shell.eval(src);
        control.takeValue();
        boolean ok = !events.isEmpty() && events.get(0).status() == Snippet.Status.VALID;
        events.stream().filter(e -> e.causeSnippet() == null).forEach(e -> shell.drop(e.snippet()));
        return ok;
    }

    /** Evaluates an expression for the kernel's own use and returns its value object; nothing is kept. */
    public Object evalValue(String expr, String where) throws CellException {
        try {
            Value v = evalSnippet(expr, new Origin(where, expr, 0, 0));
            return v == null ? null : v.object();
        } finally {
            Snippet s = lastSnippet;
            if (s != null) {
                Class<?> wrapper = cellTemporaries.remove(s);
                shell.drop(s); // the temporary variable ($N) JShell made for the value
                if (wrapper != null && s instanceof jdk.jshell.VarSnippet v) {
                    KernelExecutionControl.release(wrapper, v.name());
                }
            }
        }
    }

    /** Forgets a snippet declared with {@link #declare}. */
    public void drop(Snippet s) {
        shell.drop(s);
    }

    /** A fresh identifier for names the kernel declares in the session. */
    public String internalName(String stem) {
        return "vg" + stem + "$" + internalNames.incrementAndGet();
    }

    /** Adds a jar or class directory for the compiler and for loading classes, and picks up renderers in it. */
    public void addToClasspath(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!classpath.add(p)) {
            return;
        }
        try {
            loader.addURL(p.toUri().toURL());
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a usable path: " + p, e);
        }
        shell.addToClasspath(p.toString());
        Renderers.loadServices(loader);
    }

    /** Class path entries the session compiles against (after the JDK). */
    public List<Path> classpath() {
        return List.copyOf(classpath);
    }

    public List<String> imports() {
        return List.copyOf(imports);
    }

    public Magics magics() {
        return magics;
    }

    /** The output of the running cell (or of the last one). */
    public CellOutput out() {
        return out;
    }

    /** True once an interrupt was requested for the running cell. */
    public boolean interruptRequested() {
        return interruptRequested;
    }

    // ------------------------------------------------------------------ display

    public String display(Object value) {
        String id = newDisplayId();
        out.display(Renderers.render(value), id);
        cellDisplayIds.add(id);
        return id;
    }

    public void updateDisplay(String id, Object value) {
        out.updateDisplay(Renderers.render(value), id);
    }

    public void clearOutput(boolean waitForNext) {
        out.clearOutput(waitForNext);
    }

    /** Shows a ready-made bundle and returns its display id. */
    String show(MimeBundle bundle) {
        String id = newDisplayId();
        out.display(bundle, id);
        cellDisplayIds.add(id);
        return id;
    }

    /** Replaces what display {@code id} shows with a ready-made bundle. */
    void update(String id, MimeBundle bundle) {
        out.updateDisplay(bundle, id);
    }

    // ------------------------------------------------------------------ interrupt

    /**
     * Stops the running cell: snippet code stops at its next loop iteration or method entry, the
     * cell's thread is interrupted (library loops that poll {@code Thread.isInterrupted()} stop too),
     * and the rest of the cell is skipped. Safe to call from any thread, also when nothing runs.
     */
    public void interrupt() {
        if (!running) {
            return;
        }
        interruptRequested = true;
        control.setCancelled(true);
        Interrupts.request();
        shell.stop();
        control.forceStop();
        Thread retry = new Thread(() -> {
            long t0 = System.nanoTime();
            boolean told = false;
            while (running && interruptRequested) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (ms > STOP_RETRY_MS) {
                    break;
                }
                if (!told && ms > STOP_NOTICE_MS) {
                    out.stderr("(still stopping: the cell is inside library code that does not check for interrupts;"
                            + " it stops when that call returns)\n");
                    told = true;
                }
                // A stop that arrives between two snippets, or before JShell resets its stop flag, is lost: repeat it.
                shell.stop();
                control.forceStop();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "vectorgrad-stop");
        retry.setDaemon(true);
        retry.start();
    }

    public boolean isRunning() {
        return running;
    }

    // ------------------------------------------------------------------ front-end support

    /** Completion matches replacing {@code code[start, end)}. */
    public record Completion(List<String> matches, int start, int end) {
    }

    public Completion complete(String code, int cursor) {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        int lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
        String linePrefix = code.substring(lineStart, cursor);
        Optional<Completion> magic = magics.complete(linePrefix, lineStart);
        if (magic.isPresent()) {
            return magic.get();
        }
        String masked = CellParser.isCellMagic(code) ? maskCellMagicHeader(code) : CellParser.maskLineMagics(code);
        int[] r = snippetRange(masked, cursor);
        String src = masked.substring(r[0], r[1]);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = analysis.completionSuggestions(src, cursor - r[0], anchor);
        Set<String> matches = new LinkedHashSet<>();
        suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType).forEach(s -> matches.add(s.continuation()));
        suggestions.forEach(s -> matches.add(s.continuation()));
        return new Completion(List.copyOf(matches), r[0] + anchor[0], cursor);
    }

    /** Signatures and documentation for the symbol at {@code cursor}, or empty. */
    public Optional<String> inspect(String code, int cursor, boolean detail) {
        cursor = Math.max(0, Math.min(cursor, code.length()));
        String masked = CellParser.isCellMagic(code) ? maskCellMagicHeader(code) : CellParser.maskLineMagics(code);
        int[] r = snippetRange(masked, cursor);
        String src = masked.substring(r[0], r[1]);
        int at = cursor - r[0];
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(src, at, true);
        if (docs.isEmpty()) {
            // JShell documents invocations ("Math.sqrt(") and type names; the cursor is often on a bare
            // method name ("Math.sq|rt"): complete the identifier and ask as if its '(' were typed.
            int end = at;
            while (end < src.length() && Character.isJavaIdentifierPart(src.charAt(end))) {
                end++;
            }
            docs = analysis.documentation(src.substring(0, end) + "(", end + 1, true);
            if (docs.isEmpty() && end != at) {
                docs = analysis.documentation(src.substring(0, end), end, true);
            }
        }
        if (docs.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        String javadoc = null;
        for (SourceCodeAnalysis.Documentation d : docs) {
            String signature = d.signature();
            String doc = d.javadoc();
            if (doc == null || doc.isBlank()) {
                // JShell reads javadoc from the JDK's src.zip only; the engine's comes with the kernel
                Optional<SourceDocs.Doc> found = sourceDocs.find(signature);
                if (found.isPresent()) {
                    doc = found.get().comment();
                    signature = SourceDocs.withParameterNames(signature, found.get().parameterNames());
                }
            }
            sb.append(shortenImported(signature)).append('\n');
            if (javadoc == null && doc != null && !doc.isBlank()) {
                javadoc = doc;
            }
        }
        if (javadoc != null) {
            sb.append('\n').append(Javadocs.toText(javadoc, detail)).append('\n');
        }
        return Optional.of(sb.toString().stripTrailing());
    }

    private static final java.util.regex.Pattern QUALIFIED = java.util.regex.Pattern.compile(
            "\\b([a-z_][\\w]*(?:\\.[a-z_][\\w]*)*)\\.([A-Z][\\w$]*)");

    /**
     * A member's signature with the classes of the default imports named as a cell names them
     * ({@code Tensor}, {@code List}). JShell shortens the names of imported packages, but it knows
     * imports by the first one of a snippet, and the default imports share one ({@link SessionImports}).
     * A type's own header stays qualified, as JShell prints it.
     */
    String shortenImported(String signature) {
        if (signature.indexOf('(') < 0 && signature.indexOf(':') < 0) {
            return signature;
        }
        Set<String> packages = new java.util.HashSet<>();
        Set<String> single = new java.util.HashSet<>();
        for (String imp : imports) {
            String body = imp.strip();
            if (!body.startsWith("import ") || body.startsWith("import static ")) {
                continue;
            }
            body = body.substring("import ".length()).replace(";", "").strip();
            if (body.endsWith(".*")) {
                packages.add(body.substring(0, body.length() - 2));
            } else {
                single.add(body);
            }
        }
        java.util.regex.Matcher m = QUALIFIED.matcher(signature);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String pkg = m.group(1);
            String type = m.group(2);
            boolean imported = packages.contains(pkg) || single.contains(pkg + "." + type);
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(imported ? type : m.group()));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static final java.util.regex.Pattern HELP = java.util.regex.Pattern.compile(
            "((?:new\\s+)?[A-Za-z_$][\\w$]*(?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)*)\\s*(\\?\\??)");

    /**
     * IPython's help syntax: a cell that is only a name and a question mark, {@code Tensor.arange?}
     * (signatures and the javadoc's first paragraph) or {@code Tensor.arange??} (all of it). The text for
     * the pager, or empty when the cell is not that (no Java cell ends in '?').
     */
    public Optional<String> help(String code) {
        java.util.regex.Matcher m = HELP.matcher(code.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String target = m.group(1);
        boolean detail = m.group(2).length() == 2;
        return Optional.of(inspect(target, target.length(), detail).orElse("no documentation found for " + target));
    }

    /** The answer to Jupyter's is_complete: status "complete", "incomplete" (with indent) or "invalid". */
    public record IsComplete(String status, String indent) {
    }

    public IsComplete isComplete(String code) {
        if (CellParser.isCellMagic(code)) {
            // like IPython: a cell magic's body goes on until an empty line is entered
            return code.endsWith("\n") ? new IsComplete("complete", "") : new IsComplete("incomplete", "");
        }
        if (HELP.matcher(code.strip()).matches()) {
            return new IsComplete("complete", ""); // name? asks for help
        }
        String rest = CellParser.maskLineMagics(code);
        while (true) {
            SourceCodeAnalysis.CompletionInfo ci = analysis.analyzeCompletion(rest);
            switch (ci.completeness()) {
                case EMPTY:
                    return new IsComplete("complete", "");
                case DEFINITELY_INCOMPLETE:
                case CONSIDERED_INCOMPLETE:
                    return new IsComplete("incomplete", indentFor(code));
                case UNKNOWN:
                    return new IsComplete("invalid", "");
                default:
                    if (ci.remaining().isBlank()) {
                        return new IsComplete("complete", "");
                    }
                    rest = ci.remaining();
            }
        }
    }

    private static String indentFor(String code) {
        String[] lines = code.split("\n", -1);
        String last = "";
        for (int i = lines.length - 1; i >= 0; i--) {
            if (!lines[i].isBlank()) {
                last = lines[i];
                break;
            }
        }
        String lead = last.substring(0, last.length() - last.stripLeading().length());
        String t = last.strip();
        return t.endsWith("{") || t.endsWith("(") || t.endsWith("->") ? lead + "    " : lead;
    }

    private static String maskCellMagicHeader(String code) {
        int nl = code.indexOf('\n');
        return nl < 0 ? " ".repeat(code.length()) : " ".repeat(nl) + code.substring(nl);
    }

    /** [start, end) of the snippet of {@code code} that holds {@code cursor}. */
    private int[] snippetRange(String code, int cursor) {
        int pos = 0;
        String rest = code;
        while (true) {
            SourceCodeAnalysis.CompletionInfo ci = analysis.analyzeCompletion(rest);
            Completeness c = ci.completeness();
            if (c != Completeness.COMPLETE && c != Completeness.COMPLETE_WITH_SEMI) {
                return new int[] {pos, code.length()};
            }
            int next = code.length() - ci.remaining().length();
            if (cursor <= next || next >= code.length() || next <= pos) {
                return new int[] {pos, Math.max(next, cursor)};
            }
            pos = next;
            rest = ci.remaining();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void close() {
        interrupt();
        try {
            shell.close();
        } finally {
            try {
                loader.close();
            } catch (java.io.IOException ignored) {
                // nothing to release
            }
            if (active == this) {
                active = null;
            }
        }
    }
}
