package dev.vectorgrad.jupyter;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.jupyter.display.MimeBundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interrupts, magics, display, completion, inspection and completeness, driven without Jupyter. */
class SessionFeaturesTest {

    static Session session;
    static int count;

    @BeforeAll
    static void start() {
        session = new Session();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    static Optional<MimeBundle> eval(String code, RecordingOutput out) throws CellException {
        return session.eval(code, ++count, out);
    }

    static String text(String code) throws CellException {
        return eval(code, new RecordingOutput()).map(b -> (String) b.get(MimeBundle.TEXT)).orElse(null);
    }

    // ------------------------------------------------------------------ interrupt

    private static void assertInterruptStops(String code) throws Exception {
        RecordingOutput out = new RecordingOutput();
        CompletableFuture<Object> cell = CompletableFuture.supplyAsync(() -> {
            try {
                return eval(code, out);
            } catch (CellException e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!session.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
        long t0 = System.nanoTime();
        session.interrupt();
        Object r = cell.get(2, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(r instanceof CellException e && e.name().equals("Interrupted"), "interrupted: " + r);
        assertTrue(ms < 2000, "stopped within 2 s: " + ms + " ms");
        assertEquals("3", text("1 + 2"), "usable after the interrupt");
    }

    @Test
    void interruptStopsATightLoop() throws Exception {
        assertInterruptStops("while (true) { }");
    }

    @Test
    void interruptStopsALoopInAUserMethod() throws Exception {
        eval("long spin() { long k = 0; for (;;) { k++; } }", new RecordingOutput());
        assertInterruptStops("spin()");
    }

    @Test
    void interruptStopsSleepAndSetsTheThreadFlagForLibraryLoops() throws Exception {
        assertInterruptStops("Thread.sleep(60_000)");
        // a library-style loop that only polls the thread's interrupt flag
        eval("boolean flagSeen = false;", new RecordingOutput());
        assertInterruptStops("java.util.function.BooleanSupplier poll = () -> Thread.currentThread().isInterrupted();\n"
                + "while (!poll.getAsBoolean()) { Thread.onSpinWait(); }\nflagSeen = true;");
    }

    @Test
    void interruptSkipsTheRestOfTheCell() throws Exception {
        eval("int after = 0;", new RecordingOutput());
        assertInterruptStops("while (true) { }\nafter = 1;");
        assertEquals("0", text("after"));
    }

    @Test
    void interruptStopsAValueWhoseToStringLoops() throws Exception {
        eval("class Loopy { public String toString() { while (true) { } } }", new RecordingOutput());
        assertInterruptStops("new Loopy()");
    }

    @Test
    void valueWhoseToStringOverflowsFallsBackToAMessage() throws CellException {
        eval("class Deep { int d(int n) { return d(n + 1) + 1; } public String toString() { return \"\" + d(0); } }",
                new RecordingOutput());
        String t = text("new Deep()");
        assertTrue(t.contains("toString() threw java.lang.StackOverflowError"), t);
    }

    @Test
    void interruptWhenIdleIsHarmless() throws CellException {
        session.interrupt();
        assertEquals("2", text("1 + 1"));
    }

    // ------------------------------------------------------------------ output and display

    @Test
    void printsReachTheCellOutputThroughTheSession() throws CellException {
        RecordingOutput out = new RecordingOutput();
        eval("%backend", out);
        assertTrue(out.out.toString().contains("current backend:"), out.out.toString());
    }

    @Test
    void displayAndUpdateDisplay() throws CellException {
        RecordingOutput out = new RecordingOutput();
        eval("String id = display(Tensor.of(1, 2, 3));\nupdateDisplay(id, \"done\");", out);
        assertEquals(2, out.displays.size());
        RecordingOutput.Shown first = out.displays.get(0);
        RecordingOutput.Shown second = out.displays.get(1);
        assertFalse(first.update());
        assertTrue(first.bundle().has(MimeBundle.HTML));
        assertTrue(second.update());
        assertEquals(first.id(), second.id());
        assertEquals("done", second.bundle().get(MimeBundle.TEXT));
        assertEquals(first.id(), text("id"));
    }

    @Test
    void showRendersPng() throws CellException {
        RecordingOutput out = new RecordingOutput();
        Optional<MimeBundle> value = eval("show(Tensor.rand(28, 28))", out);
        assertEquals(1, out.displays.size());
        assertTrue(out.displays.get(0).bundle().has(MimeBundle.PNG));
        assertTrue(value.isEmpty(), "the picture, not its display id as the cell's value");
        assertEquals("x", text("\"x\""), "other strings are still values");
        assertTrue(eval("System.out.printf(\"%d%n\", 1)", new RecordingOutput()).isEmpty(), "printf's stream is no value");
        Optional<MimeBundle> img = eval("Image.of(Tensor.rand(3, 8, 8))", new RecordingOutput());
        assertTrue(img.orElseThrow().has(MimeBundle.PNG));
    }

    // ------------------------------------------------------------------ magics

    @Test
    void timeitReportsFirstCallAndSteadyState() throws CellException {
        RecordingOutput out = new RecordingOutput();
        eval("var ta = Tensor.rand(32, 32);", new RecordingOutput());
        eval("%timeit -r 3 ta.matmul(ta)", out);
        String s = out.out.toString();
        assertTrue(s.startsWith("first call: "), s);
        assertTrue(s.contains(" ± "), s);
        assertTrue(s.contains("per loop (mean ± std. dev. of 3 runs"), s);
        RecordingOutput out2 = new RecordingOutput();
        eval("%timeit -n 5 -r 2 int z = 0; for (int i = 0; i < 100; i++) z += i;", out2);
        assertTrue(out2.out.toString().contains("2 runs, 5 loops each"), out2.out.toString());
        assertFalse(text("1").isEmpty());
        assertTrue(session.complete("vgTimeit", 8).matches().isEmpty(), "timeit helpers are dropped");
    }

    @Test
    void cellTimeitAndLineTime() throws CellException {
        RecordingOutput out = new RecordingOutput();
        eval("%%timeit -n 3 -r 2\nfloat acc = 0;\nfor (int i = 0; i < 1000; i++) acc += i;", out);
        assertTrue(out.out.toString().contains("2 runs, 3 loops each"), out.out.toString());
        RecordingOutput out2 = new RecordingOutput();
        Optional<MimeBundle> b = eval("%time Math.max(3, 4)", out2);
        assertEquals("4", b.orElseThrow().get(MimeBundle.TEXT));
        assertTrue(out2.out.toString().startsWith("Wall time: "), out2.out.toString());
    }

    @Test
    void timeitReturnsItsResultWithDashO() throws CellException {
        Optional<MimeBundle> b = eval("%timeit -o -q -n 10 -r 2 Math.sqrt(2.0)", new RecordingOutput());
        assertTrue(((String) b.orElseThrow().get(MimeBundle.TEXT)).startsWith("first call: "));
    }

    @Test
    void timeitCompileErrorPointsAtTheCode() {
        CellException e = assertThrows(CellException.class, () -> eval("%timeit nosuchThing.run()", new RecordingOutput()));
        assertEquals("CompilationException", e.name());
        assertTrue(e.text().contains("nosuchThing.run()"), e.text());
    }

    @Test
    void cellTimeKeepsTheValue() throws CellException {
        RecordingOutput out = new RecordingOutput();
        Optional<MimeBundle> b = eval("%%time\nint w = 6;\nw * 7", out);
        assertEquals("42", b.orElseThrow().get(MimeBundle.TEXT));
        assertTrue(out.out.toString().startsWith("Wall time: "), out.out.toString());
    }

    @Test
    void backendSwitches() throws CellException {
        String before = Backends.current().name();
        try {
            RecordingOutput out = new RecordingOutput();
            eval("%backend scalar", out);
            assertEquals("scalar", Backends.current().name());
            assertTrue(out.out.toString().startsWith("backend: scalar"));
            CellException e = assertThrows(CellException.class, () -> eval("%backend nope", new RecordingOutput()));
            assertEquals("UsageError", e.name());
            assertTrue(e.value().contains("nope"), e.value());
        } finally {
            Backends.use(before);
        }
    }

    @Test
    void theGpuModuleIsOnTheClassPath() throws CellException {
        RecordingOutput info = new RecordingOutput();
        eval("%backend", info);
        assertTrue(info.out.toString().contains("\ngpu:"), "the gpu backend is offered: " + info.out);
        String before = Backends.current().name();
        try {
            RecordingOutput out = new RecordingOutput();
            eval("%backend gpu", out);
            // with an OpenCL device (PoCL counts): the same cell gives the same numbers on both backends
            String onGpu = text("Rng.seed(5);\nvar gm = Tensor.rand(33, 17);\ngm.matmul(gm.t()).toHost().sum().item()");
            eval("%backend simd", new RecordingOutput());
            String onSimd = text("Rng.seed(5);\nvar sm = Tensor.rand(33, 17);\nsm.matmul(sm.t()).sum().item()");
            assertEquals(Float.parseFloat(onSimd), Float.parseFloat(onGpu), 1e-2f, out.out.toString());
        } catch (CellException e) {
            // no OpenCL here: the magic says why, as a usage error
            assertEquals("UsageError", e.name(), e.text());
            assertTrue(e.value().contains("gpu"), e.value());
        } finally {
            Backends.use(before);
        }
    }

    @Test
    void htmlAndMarkdownCells() throws CellException {
        MimeBundle h = eval("%%html\n<b>bold</b>", new RecordingOutput()).orElseThrow();
        assertEquals("<b>bold</b>", h.get(MimeBundle.HTML));
        assertEquals("bold", h.get(MimeBundle.TEXT));
        MimeBundle m = eval("%%markdown\n# Title", new RecordingOutput()).orElseThrow();
        assertEquals("# Title", m.get(MimeBundle.MARKDOWN));
    }

    @Test
    void lineMagicsMixWithJava() throws CellException {
        RecordingOutput out = new RecordingOutput();
        Optional<MimeBundle> b = eval("int mm = 2;\n%lsmagic\nmm * 21", out);
        assertEquals("42", b.orElseThrow().get(MimeBundle.TEXT));
        assertTrue(out.out.toString().contains("%timeit"), out.out.toString());
        assertTrue(out.out.toString().contains("%%time"), out.out.toString());
    }

    @Test
    void unknownMagicIsAUsageError() {
        CellException e = assertThrows(CellException.class, () -> eval("%nosuch", new RecordingOutput()));
        assertEquals("UsageError", e.name());
        CellException e2 = assertThrows(CellException.class, () -> eval("int a1 = 1;\n%%time\n", new RecordingOutput()));
        assertTrue(e2.value().contains("first line"), e2.value());
    }

    @Test
    void loadAndClasspath() throws Exception {
        Path dir = Files.createTempDirectory("vg-load");
        Path file = dir.resolve("helper.java");
        Files.writeString(file, "int triple(int x) {\n    return 3 * x;\n}\ntriple(5)\n");
        assertEquals("15", text("%load " + file));
        assertEquals("21", text("triple(7)"));
        CellException e = assertThrows(CellException.class, () -> eval("%load " + dir.resolve("missing.java"), new RecordingOutput()));
        assertEquals("UsageError", e.name());

        // a class directory compiled outside the session
        Path src = dir.resolve("src/ext/Greeter.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package ext; public class Greeter { public static String hi() { return \"hi from ext\"; } }");
        Path classes = dir.resolve("classes");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        assertEquals(0, rc);
        RecordingOutput out = new RecordingOutput();
        eval("%classpath " + classes, out);
        assertTrue(out.out.toString().contains("added to the class path"), out.out.toString());
        assertEquals("hi from ext", text("ext.Greeter.hi()"));
    }

    // ------------------------------------------------------------------ front end

    @Test
    void completesEngineMembers() throws CellException {
        String code = "Tensor.ze";
        Session.Completion c = session.complete(code, code.length());
        assertTrue(c.matches().stream().anyMatch(m -> m.startsWith("zeros")), c.matches().toString());
        assertEquals(7, c.start());
        assertEquals(9, c.end());
        eval("var completeMe = Tensor.ones(2);", new RecordingOutput());
        String multi = "int q = 1;\n%lsmagic\ncompleteMe.resh";
        Session.Completion c2 = session.complete(multi, multi.length());
        assertTrue(c2.matches().contains("reshape("), c2.matches().toString());
        assertEquals(multi.length() - 4, c2.start());
    }

    @Test
    void completesMagicsAndBackendNames() {
        Session.Completion c = session.complete("%time", 5);
        assertTrue(c.matches().contains("%timeit"), c.matches().toString());
        assertEquals(0, c.start());
        Session.Completion b = session.complete("%backend si", 11);
        assertEquals(java.util.List.of("simd"), b.matches());
        assertEquals(9, b.start());
    }

    @Test
    void completesPathsForClasspathAndLoad() throws Exception {
        Path dir = Files.createTempDirectory("vg-complete");
        Files.writeString(dir.resolve("alpha.jar"), "");
        Files.createDirectory(dir.resolve("alphadir"));
        String line = "%classpath " + dir + "/al";
        Session.Completion c = session.complete(line, line.length());
        assertEquals(java.util.List.of(dir + "/alpha.jar", dir + "/alphadir/"), c.matches());
        assertEquals("%classpath ".length(), c.start());
    }

    @Test
    void inspectShowsSignatures() {
        String code = "Tensor.zeros";
        Optional<String> doc = session.inspect(code, code.length(), false);
        assertTrue(doc.isPresent());
        assertTrue(doc.get().contains("Tensor Tensor.zeros(int... shape)"), doc.get());
        code = "new ArrayList<Tensor>().add(";
        doc = session.inspect(code, code.length(), false);
        assertTrue(doc.orElseThrow().startsWith("boolean ArrayList<E>.add(E e)"), "imported names are short: " + doc.get());
        code = "Tensor";
        assertTrue(session.inspect(code, code.length(), false).orElseThrow().startsWith("dev.vectorgrad.tensor.Tensor\n"),
                "a type's own header is qualified");
    }

    @Test
    void inspectShowsTheEnginesJavadoc() throws CellException {
        String code = "var t = Tensor.arange(";
        String doc = session.inspect(code, code.length(), false).orElseThrow();
        assertTrue(doc.startsWith("Tensor Tensor.arange(int end)\n"), doc);
        assertTrue(doc.contains("\n\n0, 1, ..., end-1."), "the first overload's javadoc, tags made text: " + doc);

        code = "new Linear(";
        doc = session.inspect(code, code.length(), false).orElseThrow();
        assertTrue(doc.contains("Linear(int inFeatures, int outFeatures)") && doc.contains("Fully connected layer"), doc);

        eval("var inspected = new Sequential(new Linear(2, 2));", new RecordingOutput());
        code = "inspected.forward(";
        doc = session.inspect(code, code.length(), false).orElseThrow();
        assertTrue(doc.contains("Tensor Sequential.forward(Tensor x)") && doc.contains("Runs the module on a batch."),
                "an override without a comment shows the overridden method's: " + doc);

        code = "Math.sqrt(";
        doc = session.inspect(code, code.length(), false).orElseThrow();
        assertTrue(doc.contains("Returns the correctly rounded positive square root"), "the JDK's own javadoc: " + doc);
    }

    @Test
    void questionMarkAsksForTheDocumentation() {
        String brief = session.help("Tensor.arange?").orElseThrow();
        assertTrue(brief.startsWith("Tensor Tensor.arange(int end)") && brief.contains("0, 1, ..., end-1."), brief);
        String full = session.help("  Trainer.fit ??\n").orElseThrow();
        assertTrue(full.contains("Trains model on train as fit says"), full);
        assertEquals("no documentation found for Tensor.nope", session.help("Tensor.nope?").orElseThrow());
        assertTrue(session.help("x > 0 ? 1 : 2").isEmpty());
        assertTrue(session.help("Tensor.arange(3)").isEmpty());
        assertEquals("complete", session.isComplete("Tensor.arange?").status());
    }

    @Test
    void isCompleteFollowsJava() {
        assertEquals("complete", session.isComplete("int x = 3;").status());
        assertEquals("complete", session.isComplete("Tensor.ones(2)").status());
        Session.IsComplete open = session.isComplete("for (int i = 0; i < 3; i++) {");
        assertEquals("incomplete", open.status());
        assertEquals("    ", open.indent());
        assertEquals("incomplete", session.isComplete("int x =").status());
        assertEquals("invalid", session.isComplete("int x = 3 +* ;").status());
        assertEquals("complete", session.isComplete("%timeit Math.sqrt(2)").status());
        assertEquals("incomplete", session.isComplete("%%time").status());
        assertEquals("complete", session.isComplete("%%time\nint a = 1;\n").status());
    }

    @Test
    void defaultImportsCoverTheEnginePackagesPresent() {
        assertTrue(session.imports().contains("import dev.vectorgrad.tensor.*;"), session.imports().toString());
        assertTrue(session.imports().contains("import dev.vectorgrad.backend.*;"));
        assertTrue(session.imports().contains("import dev.vectorgrad.data.*;"), session.imports().toString());
        assertFalse(session.imports().contains("import dev.vectorgrad.nn.*;") && !packagePresent("dev.vectorgrad.nn"));
    }

    private static boolean packagePresent(String pkg) {
        return Thread.currentThread().getContextClassLoader().getResource(pkg.replace('.', '/')) != null;
    }
}
