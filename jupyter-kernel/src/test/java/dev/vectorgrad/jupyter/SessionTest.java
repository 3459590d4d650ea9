package dev.vectorgrad.jupyter;

import dev.vectorgrad.jupyter.display.MimeBundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTest {

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

    @Test
    void expressionValueIsTheObjectItself() throws CellException {
        Optional<MimeBundle> b = eval("Tensor.ones(2, 3)", new RecordingOutput());
        assertTrue(b.isPresent());
        assertTrue(b.get().has(MimeBundle.HTML), "tensor renders as HTML: " + b.get().data());
        assertTrue(((String) b.get().get(MimeBundle.HTML)).contains("shape=(2,3)"));
        assertEquals("tensor([[1., 1., 1.],\n        [1., 1., 1.]])", b.get().get(MimeBundle.TEXT));
    }

    @Test
    void declarationsShowNothingAndPersist() throws CellException {
        assertTrue(eval("int a = 40;", new RecordingOutput()).isEmpty());
        assertEquals("42", text("a + 2"));
        assertTrue(eval("System.out.println(a)", new RecordingOutput()).isEmpty(), "void call shows no value");
    }

    @Test
    void multipleSnippetsLastValueShown() throws CellException {
        assertEquals("6", text("int x = 1;\nint y = 2;\nx + y + 3"));
    }

    @Test
    void stringsShowWithoutQuotesAndNullShows() throws CellException {
        assertEquals("hi", text("\"hi\""));
        assertEquals("null", text("String s = null;\ns"));
    }

    @Test
    void compileErrorShowsLineAndCaret() {
        CellException e = assertThrows(CellException.class, () -> eval("int ok = 1;\nTensor t = Tensor.zeroz(2, 3);", new RecordingOutput()));
        assertEquals("CompilationException", e.name());
        String t = e.text();
        assertTrue(t.contains("line 2: error: cannot find symbol"), t);
        assertTrue(t.contains("    Tensor t = Tensor.zeroz(2, 3);"), t);
        assertTrue(t.contains("^"), t);
    }

    @Test
    void runtimeExceptionNamesTypeAndCellLine() throws CellException {
        eval("int div(int a) {\n  return 10 / a;\n}", new RecordingOutput());
        CellException e = assertThrows(CellException.class, () -> eval("int q = 1;\ndiv(0)", new RecordingOutput()));
        assertEquals("java.lang.ArithmeticException", e.name());
        assertEquals("/ by zero", e.value());
        String t = e.text();
        assertTrue(t.contains("at div (cell ["), t);
        assertTrue(t.contains("], line 2)"), t);
        assertTrue(t.matches("(?s).*\\n    at cell \\[\\d+], line 2$"), "the calling line of the cell: " + t);
        assertFalse(t.contains("jdk.internal.reflect"), t);
        assertFalse(t.contains("KernelExecutionControl"), t);
        assertEquals("3", text("1 + 2"), "usable after an exception");
    }

    @Test
    void stackOverflowLeavesSessionUsable() throws CellException {
        eval("int down(int n) { return down(n + 1) + 1; }", new RecordingOutput());
        CellException e = assertThrows(CellException.class, () -> eval("down(0)", new RecordingOutput()));
        assertEquals("java.lang.StackOverflowError", e.name());
        assertTrue(e.text().contains("repeats"), e.text());
        assertTrue(e.traceback().size() < 20, "recursion folded: " + e.traceback().size());
        assertEquals("5", text("2 + 3"));
    }

    @Test
    void outOfMemoryLeavesSessionUsable() throws CellException {
        CellException e = assertThrows(CellException.class,
                () -> eval("long[][] hog = new long[64][];\nfor (int i = 0; i < 64; i++) hog[i] = new long[Integer.MAX_VALUE - 8];", new RecordingOutput()));
        assertEquals("java.lang.OutOfMemoryError", e.name());
        assertEquals("5", text("2 + 3"));
    }

    @Test
    void jshellToolImportsAndEngineNamesWin() throws CellException {
        assertEquals("2", text("List.of(1, 2).size()"));
        assertEquals("2", text("Function<Integer, Integer> inc = x -> x + 1;\ninc.apply(1)"));
        assertEquals("3", text("Stream.of(1, 2, 3).count()"));
        if (session.imports().contains("import dev.vectorgrad.nn.*;")) {
            assertEquals("dev.vectorgrad.nn.Module", text("Module.class.getName()"), "the engine's Module, not java.lang's");
        }
    }

    @Test
    void defaultImportsSurviveACellImportingTheSamePackages() throws CellException {
        eval("import java.util.*;\nimport dev.vectorgrad.tensor.*;\nimport java.io.*;", new RecordingOutput());
        eval("import java.util.function.Function;", new RecordingOutput());
        assertEquals("3", text("List.of(1, 2, 3).size()"));
        assertEquals("2", text("Map.of(1, 2).get(1)"));
        assertEquals("6.0", text("Tensor.ones(2, 3).sum().item()"));
        assertEquals("x", text("new File(\"x\").getName()"));
        assertEquals("true", text("Stream.of(1).findAny().isPresent()"), "java.util.stream, from the defaults");
    }

    @Test
    void vectorApiIsAvailableToCells() throws CellException {
        assertEquals("true", text("jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() >= 4"));
    }

    @Test
    void executionThatHandsNoValuesBackIsRefusedAtStartUp() {
        // JShell's own in-process execution runs the snippet, but its value never reaches the kernel: the
        // symptom of execution without reflective access (every value null, no output). The check refuses it.
        KernelExecutionControl control = new KernelExecutionControl(SessionTest.class.getClassLoader());
        try (jdk.jshell.JShell plain = jdk.jshell.JShell.builder().executionEngine("local").build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Session.checkExecution(plain, control));
            assertTrue(e.getMessage().startsWith("JShell could not run code in this JVM"), e.getMessage());
        }
        try (jdk.jshell.JShell shell = jdk.jshell.JShell.builder().executionEngine(control.provider(), java.util.Map.of()).build()) {
            Session.checkExecution(shell, control); // the kernel's own execution passes
        }
    }

    @Test
    void silentFailureOfInProcessExecutionWouldBeCaught() throws CellException {
        // the self-test at start-up guards this; here: values and output really come back
        RecordingOutput out = new RecordingOutput();
        assertEquals("[1, 2]", eval("new int[] {1, 2}", out).orElseThrow().get(MimeBundle.TEXT));
    }

    private static long usedHeapMb() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }

    @Test
    void rerunningACellThatAllocates100MbKeepsTheHeapBounded() throws CellException {
        // the cell's value is shown, then let go: JShell alone would keep each one in a variable $N
        long before = usedHeapMb();
        for (int i = 0; i < 10; i++) {
            eval("Tensor.zeros(5000, 5000)", new RecordingOutput());
        }
        long afterValues = usedHeapMb() - before;
        // a variable declared again (also with another type) keeps only its latest value
        for (int i = 0; i < 10; i++) {
            eval(i % 2 == 0 ? "var big = new float[25_000_000];" : "var big = new byte[100_000_000];", new RecordingOutput());
        }
        long afterVariables = usedHeapMb() - before;
        assertTrue(afterValues < 150, "10 cells of 100 MB values left " + afterValues + " MB behind");
        assertTrue(afterVariables < 250, "10 redeclarations of a 100 MB variable hold " + afterVariables + " MB");
        eval("big = null;", new RecordingOutput());
    }

    @Test
    void signatureChangesDoNotHang() {
        // JShell re-compiles the dependents of a changed declaration; none of these may hang the kernel
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            eval("int area(int w, int h) { return w * h; }", new RecordingOutput());
            eval("int twice(int w) { return 2 * area(w, w); }", new RecordingOutput());
            assertEquals("18", text("twice(3)"));
            RecordingOutput note = new RecordingOutput();
            eval("double area(double r) { return Math.PI * r * r; }", note); // area(int, int) stays, overloaded
            assertEquals("18", text("twice(3)"));
            eval("long area(int w, int h) { return (long) w * h + 1; }", new RecordingOutput()); // return type changed
            assertThrows(CellException.class, () -> eval("twice(3)", new RecordingOutput()),
                    "twice no longer compiles against the new area (long to int)");
            eval("int twice(int w) { return (int) (2 * area(w, w)); }", new RecordingOutput());
            assertEquals("20", text("twice(3)"));

            eval("class Box { int v; Box(int v) { this.v = v; } int get() { return v; } }", new RecordingOutput());
            eval("Box b = new Box(4);", new RecordingOutput());
            eval("interface Shape { double size(); }", new RecordingOutput());
            eval("record Sq(double s) implements Shape { public double size() { return s * s; } }", new RecordingOutput());
            assertEquals("9.0", text("new Sq(3).size()"));
            eval("class Box { String v; Box(String v) { this.v = v; } String get() { return v + v; } }", new RecordingOutput());
            assertEquals("abab", text("new Box(\"ab\").get()"));
            eval("interface Shape { double size(); default String name() { return \"shape\"; } }", new RecordingOutput());
            assertEquals("shape 4.0", text("new Sq(2).name() + \" \" + new Sq(2).size()"));
            eval("var b = \"now a string\";", new RecordingOutput());
            assertEquals("12", text("b.length()"));
        });
    }

    @Test
    void redefiningMethodsAndClassesWorks() throws CellException {
        eval("int f() { return 1; }", new RecordingOutput());
        eval("int g() { return f() * 10; }", new RecordingOutput());
        assertEquals("10", text("g()"));
        eval("int f() { return 2; }", new RecordingOutput());
        assertEquals("20", text("g()"));
        eval("record P(int a) {}", new RecordingOutput());
        eval("record P(int a, int b) { int sum() { return a + b; } }", new RecordingOutput());
        assertEquals("7", text("new P(3, 4).sum()"));
    }
}
