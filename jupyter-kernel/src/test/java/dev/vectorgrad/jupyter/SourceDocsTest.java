package dev.vectorgrad.jupyter;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The javadoc that ships with the kernel, found from the signatures JShell prints. */
class SourceDocsTest {

    static final SourceDocs DOCS = new SourceDocs(SourceDocsTest.class.getClassLoader(), DefaultImports.DOCUMENTED_PACKAGES);

    @Test
    void signaturesAsJShellPrintsThem() {
        assertEquals(new SourceDocs.Ref("Tensor", "arange", List.of("int"), true), SourceDocs.parse("Tensor Tensor.arange(int end)"));
        assertEquals(new SourceDocs.Ref("Tensor", "of", List.of("float[]"), true), SourceDocs.parse("Tensor Tensor.of(float... values)"));
        assertEquals(new SourceDocs.Ref("Tensor", "of", List.of("float[][]"), true), SourceDocs.parse("Tensor Tensor.of(float[][] rows)"));
        assertEquals(new SourceDocs.Ref("Module", "loadStateDict", List.of("Map", "boolean"), false),
                SourceDocs.parse("Module Module.loadStateDict(Map<String,Tensor>, boolean)"));
        assertEquals(new SourceDocs.Ref("Adam", "<init>", List.of("Iterable", "double"), true),
                SourceDocs.parse("Adam(Iterable<Parameter> params, double lr)"));
        assertEquals(new SourceDocs.Ref("dev.vectorgrad.data.Datasets", "fashionMnist", List.of("Path"), true),
                SourceDocs.parse("dev.vectorgrad.data.ImageSplit dev.vectorgrad.data.Datasets.fashionMnist(java.nio.file.Path dir)"));
        assertEquals(new SourceDocs.Ref("Collections", "sort", List.of("List", "Comparator"), true),
                SourceDocs.parse("void Collections.<T>sort(List<T> list, Comparator<? super T> c)"));
        assertEquals(new SourceDocs.Ref("Map", "of", List.of("K", "V"), true), SourceDocs.parse("Map<K,V> Map<K, V>.<K, V>of(K k1, V v1)"));
        assertEquals(new SourceDocs.Ref("Files", "readString", List.of("Path"), true),
                SourceDocs.parse("String Files.readString(Path path) throws IOException"));
        assertEquals(new SourceDocs.Ref("Trainer", "EVAL_BATCH_SIZE", null, false), SourceDocs.parse("Trainer.EVAL_BATCH_SIZE:int"));
        assertEquals(new SourceDocs.Ref("Reduction", "MEAN", null, false), SourceDocs.parse("Reduction.MEAN"));
        assertEquals(new SourceDocs.Ref("dev.vectorgrad.backend.Backends.Scope", "", null, false),
                SourceDocs.parse("dev.vectorgrad.backend.Backends.Scope"));
        assertEquals("Builder[]", SourceDocs.normalizeType("dev.vectorgrad.optim.Adam.Builder..."));
        assertEquals("List", SourceDocs.normalizeType("java.util.List<? extends Map<String, Integer>>"));
    }

    @Test
    void engineMembersHaveTheirComments() {
        assertTrue(DOCS.available(), "the engine's sources are among the kernel's resources");
        assertEquals("{@code 0, 1, ..., end-1}.", DOCS.find("Tensor Tensor.arange(int end)").orElseThrow().comment().strip());
        assertTrue(comment("Tensor Tensor.of(float[][] rows)").contains("2-D tensor from rows"));
        assertTrue(comment("History Trainer.fit(Module model, Dataset train, Loss loss, Optimizer optimizer, Fit fit)")
                .contains("Trains {@code model}"));
        assertTrue(comment("dev.vectorgrad.tensor.Tensor").contains("An n-dimensional array of float32 values"));
        assertTrue(comment("dev.vectorgrad.backend.Backends.Scope").contains("Restores the previously current backend"),
                "a nested class");
        assertTrue(comment("Trainer.EVAL_BATCH_SIZE:int").contains("evaluate"), "a field");
        assertTrue(comment("String dev.vectorgrad.jupyter.Notebook.display(Object value)").contains("display id"),
                "the kernel's own notebook API");
    }

    @Test
    void overridesWithoutACommentTakeTheOverriddenOne() {
        String own = comment("Tensor Module.forward(Tensor input)");
        assertFalse(own.isBlank());
        assertEquals(own, comment("Tensor Sequential.forward(Tensor x)"), "Sequential.forward documents nothing itself");
    }

    @Test
    void constructorsWithoutACommentDescribeTheirClass() {
        assertTrue(comment("Linear(int inFeatures, int outFeatures)").contains("Fully connected layer"));
    }

    @Test
    void parameterNamesFillInWhereTheClassFileHadNone() {
        Optional<SourceDocs.Doc> d = DOCS.find("Module Module.loadStateDict(Map<String,Tensor>, boolean)");
        assertEquals(List.of("state", "strict"), d.orElseThrow().parameterNames());
        assertEquals("Module Module.loadStateDict(Map<String,Tensor> state, boolean strict)",
                SourceDocs.withParameterNames("Module Module.loadStateDict(Map<String,Tensor>, boolean)", d.get().parameterNames()));
        assertEquals("Tensor Tensor.arange(int end)", SourceDocs.withParameterNames("Tensor Tensor.arange(int end)", List.of("x")));
    }

    @Test
    void otherClassesAreNotFound() {
        assertTrue(DOCS.find("double Math.sqrt(double a)").isEmpty());
        assertTrue(DOCS.find("Tensor Tensor.noSuchMethod(int a)").isEmpty());
        assertTrue(DOCS.find("int $JShell$12.f()").isEmpty());
        assertNull(SourceDocs.parse(""));
    }

    private static String comment(String signature) {
        return DOCS.find(signature).map(SourceDocs.Doc::comment).orElse("(none for " + signature + ")");
    }
}
