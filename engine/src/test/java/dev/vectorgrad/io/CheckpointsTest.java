package dev.vectorgrad.io;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.backend.Storage;
import dev.vectorgrad.nn.BatchNorm1d;
import dev.vectorgrad.nn.BatchNorm2d;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.MaxPool2d;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointsTest {

    @TempDir
    Path dir;

    static Sequential lenet() {
        return lenet(120);
    }

    /** LeNet-5, with the width of the first fully connected layer as a knob for wrong architectures. */
    static Sequential lenet(int hidden) {
        return new Sequential(
                new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
                new Flatten(),
                new Linear(400, hidden), new ReLU(), new Linear(hidden, 84), new ReLU(), new Linear(84, 10));
    }

    static Sequential withBatchNorm() {
        return new Sequential(
                new Conv2d(2, 4, 3), new BatchNorm2d(4), new ReLU(), new Flatten(),
                new Linear(4 * 4 * 4, 8), new BatchNorm1d(8), new ReLU(), new Linear(8, 3));
    }

    // ================================================================ round trips

    @Test
    void lenetRoundTripGivesTheSameOutputsInAFreshModel() throws IOException {
        Rng.seed(1);
        Sequential a = lenet();
        Tensor x = Tensor.randn(3, 1, 28, 28);
        float[] want = a.forward(x).toArray();
        Path file = dir.resolve("lenet.safetensors");
        Checkpoints.save(a, file);

        Rng.seed(2);
        Sequential b = lenet();
        assertFalse(Arrays.equals(want, b.forward(x).toArray()), "a different seed gives another model");
        Checkpoints.LoadResult r = Checkpoints.load(b, file);
        assertTrue(r.allKeysMatched(), r::toString);
        assertEquals("All keys matched successfully", r.toString());
        assertArrayEquals(want, b.forward(x).toArray(), "bit for bit the same outputs");

        Map<String, Tensor> saved = Checkpoints.load(file);
        assertInstanceOf(LinkedHashMap.class, saved);
        List<String> names = List.copyOf(a.stateDict().keySet());
        assertEquals(List.of("0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias",
                "11.weight", "11.bias"), names, "PyTorch's names, in the model's order");
        assertEquals(names, List.copyOf(saved.keySet()));
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            Tensor t = saved.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), t.shape(), e.getKey());
            assertArrayEquals(e.getValue().toArray(), t.toArray(), e.getKey());
        }

        Map<String, String> meta = Checkpoints.metadata(file);
        assertEquals("pt", meta.get("format"));
        assertEquals("1", meta.get(Checkpoints.FORMAT_KEY));
        assertEquals(Checkpoints.version(), meta.get(Checkpoints.VERSION_KEY));
        assertEquals(a.toString(), meta.get(Checkpoints.MODEL_KEY));
        assertEquals(meta, r.metadata());
        assertEquals(List.of("format", Checkpoints.FORMAT_KEY, Checkpoints.VERSION_KEY, Checkpoints.MODEL_KEY),
                List.copyOf(meta.keySet()));
    }

    @Test
    void batchNormBuffersRoundTrip() throws IOException {
        Rng.seed(3);
        Sequential a = withBatchNorm();
        a.forward(Tensor.randn(5, 2, 6, 6));
        a.forward(Tensor.randn(5, 2, 6, 6).mul(3f).add(1f)); // running statistics move away from 0 and 1
        a.eval();
        Tensor x = Tensor.randn(4, 2, 6, 6);
        float[] want = a.forward(x).toArray();
        Path file = dir.resolve("bn.safetensors");
        Checkpoints.save(a, file);

        Rng.seed(4);
        Sequential b = withBatchNorm();
        b.eval();
        assertFalse(Arrays.equals(want, b.forward(x).toArray()));
        Checkpoints.load(b, file);
        assertArrayEquals(want, b.forward(x).toArray());
        Map<String, Tensor> sb = b.stateDict();
        for (String buffer : List.of("1.running_mean", "1.running_var", "1.num_batches_tracked",
                "5.running_mean", "5.running_var", "5.num_batches_tracked")) {
            assertArrayEquals(a.stateDict().get(buffer).toArray(), sb.get(buffer).toArray(), buffer);
        }
        assertEquals(2f, sb.get("1.num_batches_tracked").item());
        assertArrayEquals(new int[0], Checkpoints.load(file).get("5.num_batches_tracked").shape(), "a scalar");
    }

    @Test
    void namedTensorsKeepTheirOrderAndValues() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z", Tensor.arange(6).reshape(2, 3));
        tensors.put("a", Tensor.scalar(-1.5f));
        tensors.put("m.t", Tensor.arange(6).reshape(2, 3).t()); // a non-contiguous view
        tensors.put("empty", Tensor.zeros(0, 4));
        Path file = dir.resolve("named.safetensors");
        Checkpoints.save(tensors, file);
        Map<String, Tensor> back = Checkpoints.load(file.toString());
        assertEquals(List.of("z", "a", "m.t", "empty"), List.copyOf(back.keySet()));
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            assertArrayEquals(e.getValue().shape(), back.get(e.getKey()).shape(), e.getKey());
            assertArrayEquals(e.getValue().toArray(), back.get(e.getKey()).toArray(), e.getKey());
        }
        assertNull(Checkpoints.metadata(file).get(Checkpoints.MODEL_KEY), "no model, no architecture");
        assertEquals("1", Checkpoints.metadata(file).get(Checkpoints.FORMAT_KEY));
    }

    @Test
    void singleTensorRoundTrip() throws IOException {
        Rng.seed(5);
        Tensor t = Tensor.randn(3, 4, 5);
        Path file = dir.resolve("t.safetensors");
        Checkpoints.saveTensor(t, file.toString());
        Tensor back = Checkpoints.loadTensor(file.toString());
        assertArrayEquals(t.shape(), back.shape());
        assertArrayEquals(t.toArray(), back.toArray());
        assertEquals(List.of(Checkpoints.TENSOR_NAME), List.copyOf(Checkpoints.load(file).keySet()));

        // The result is an ordinary tensor: it computes and can be saved again.
        assertEquals(t.sum().item(), back.sum().item(), 1e-4);

        // A file from elsewhere with one tensor under another name loads too.
        Path other = dir.resolve("other.safetensors");
        SafeTensors.write(other, List.of(new NamedArray("weights", new int[] {2}, new float[] {1, 2})));
        assertArrayEquals(new float[] {1, 2}, Checkpoints.loadTensor(other).toArray());

        // Several tensors, none named "tensor": which to take is the user's choice.
        Path many = dir.resolve("many.safetensors");
        SafeTensors.write(many, List.of(new NamedArray("a", new int[] {1}, new float[] {1}),
                new NamedArray("b", new int[] {1}, new float[] {2})));
        FileFormatException e = assertThrows(FileFormatException.class, () -> Checkpoints.loadTensor(many));
        assertTrue(e.getMessage().startsWith(many + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("2 tensors (a, b)"), e.getMessage());
    }

    @Test
    void userMetadataIsKeptAndReservedKeysAreRefused() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Checkpoints.save(new Linear(2, 3), file, Map.of("epoch", "7"));
        assertEquals("7", Checkpoints.metadata(file).get("epoch"));
        assertEquals("Linear(in_features=2, out_features=3, bias=True)",
                Checkpoints.metadata(file).get(Checkpoints.MODEL_KEY));

        Path refused = dir.resolve("refused.safetensors");
        for (String key : List.of("format", "vectorgrad.format", "vectorgrad.anything")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Checkpoints.save(new Linear(2, 3), refused, Map.of(key, "x")));
            assertTrue(e.getMessage().contains("'" + key + "' is reserved"), e.getMessage());
        }
        assertFalse(Files.exists(refused));
    }

    @Test
    void filesWithoutOurMetadataLoad() throws IOException {
        Rng.seed(6);
        Linear model = new Linear(3, 2);
        Path file = dir.resolve("foreign.safetensors");
        // As another tool writes it: no metadata, the reference writer's order (sorted by name).
        SafeTensors.write(file, List.of(
                new NamedArray("bias", new int[] {2}, new float[] {0.5f, -0.5f}),
                new NamedArray("weight", new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6})));
        assertTrue(Checkpoints.load(model, file).allKeysMatched());
        assertArrayEquals(new float[] {6.5f, 14.5f}, model.forward(Tensor.of(new float[][] {{1, 1, 1}})).toArray());
        assertEquals(List.of("bias", "weight"), List.copyOf(Checkpoints.load(file).keySet()), "file order");
        assertTrue(Checkpoints.metadata(file).isEmpty());
    }

    // ================================================================ mismatches

    @Test
    void wrongArchitectureListsEveryMismatchAndTheFileAndChangesNothing() throws IOException {
        Rng.seed(7);
        Path file = dir.resolve("lenet.safetensors");
        Checkpoints.save(lenet(), file);

        Rng.seed(8);
        Sequential wrong = lenet(100);
        Map<String, float[]> before = snapshot(wrong);
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                () -> Checkpoints.load(wrong, file));
        String m = e.getMessage();
        assertTrue(m.startsWith(file + " does not fit this Sequential (3 problems); the model was not changed:"), m);
        assertTrue(m.contains("\n    7.weight: checkpoint (120,400) vs model (100,400)"), m);
        assertTrue(m.contains("\n    7.bias: checkpoint (120) vs model (100)"), m);
        assertTrue(m.contains("\n    9.weight: checkpoint (84,120) vs model (84,100)"), m);
        assertEquals(3, e.shapeMismatches().size(), e.shapeMismatches()::toString);
        assertTrue(e.missingKeys().isEmpty());
        assertTrue(e.unexpectedKeys().isEmpty());
        // Both architectures, so the difference can be seen.
        assertTrue(m.contains("in the file:\n    Sequential(\n"), m);
        assertTrue(m.contains("(7): Linear(in_features=400, out_features=120, bias=True)"), m);
        assertTrue(m.contains("this model:\n    Sequential(\n"), m);
        assertTrue(m.contains("(7): Linear(in_features=400, out_features=100, bias=True)"), m);
        assertEquals(lenet().toString(), e.savedArchitecture());
        assertEquals(wrong.toString(), e.modelArchitecture());
        assertEquals(file, e.file());
        assertInstanceOf(dev.vectorgrad.nn.StateDictException.class, e.getCause());
        assertUnchanged(before, wrong);

        // Not strict: shape mismatches still fail, and still change nothing.
        assertThrows(CheckpointMismatchException.class, () -> Checkpoints.load(wrong, file, false));
        assertUnchanged(before, wrong);
    }

    @Test
    void missingAndUnexpectedKeysAreListedAndNonStrictLoadsTheRest() throws IOException {
        Rng.seed(9);
        Sequential full = lenet();
        Path file = dir.resolve("lenet.safetensors");
        Checkpoints.save(full, file);

        // The model lacks the last layer: the file has two tensors it does not know.
        Sequential headless = firstLayersOfLenet(11);
        Map<String, float[]> before = snapshot(headless);
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                () -> Checkpoints.load(headless, file));
        assertEquals(List.of("11.weight", "11.bias"), e.unexpectedKeys());
        assertTrue(e.getMessage().contains("unexpected keys, in the file but not in the model (2): 11.weight, 11.bias"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Checkpoints.load(model, file, false)"), e.getMessage());
        assertUnchanged(before, headless);

        Checkpoints.LoadResult r = Checkpoints.load(headless, file, false);
        assertEquals(List.of("11.weight", "11.bias"), r.unexpectedKeys());
        assertEquals(List.of(), r.missingKeys());
        assertFalse(r.allKeysMatched());
        assertEquals("unexpected keys (2): 11.weight, 11.bias", r.toString());
        assertArrayEquals(full.stateDict().get("9.weight").toArray(), headless.stateDict().get("9.weight").toArray());

        // The model has one layer more: the file lacks its tensors.
        Sequential longer = lenet();
        longer.add(new ReLU()).add(new Linear(10, 5));
        Map<String, float[]> beforeLonger = snapshot(longer);
        CheckpointMismatchException missing = assertThrows(CheckpointMismatchException.class,
                () -> Checkpoints.load(longer, file));
        assertEquals(List.of("13.weight", "13.bias"), missing.missingKeys());
        assertTrue(missing.getMessage().contains("missing keys, in the model but not in the file (2): 13.weight, 13.bias"),
                missing.getMessage());
        assertUnchanged(beforeLonger, longer);
        Checkpoints.LoadResult lr = Checkpoints.load(longer, file, false);
        assertEquals(List.of("13.weight", "13.bias"), lr.missingKeys());
        assertArrayEquals(beforeLonger.get("13.weight"), longer.stateDict().get("13.weight").toArray(),
                "a missing tensor keeps its value");
        assertArrayEquals(full.stateDict().get("0.weight").toArray(), longer.stateDict().get("0.weight").toArray());
    }

    private static Sequential firstLayersOfLenet(int n) {
        Sequential s = new Sequential();
        List<Module> layers = lenet().children();
        for (int i = 0; i < n; i++) {
            s.add(layers.get(i));
        }
        return s;
    }

    // ================================================================ broken files

    @Test
    void truncatedFilesNameTheFileAndChangeNothing() throws IOException {
        Rng.seed(10);
        Path good = dir.resolve("good.safetensors");
        Checkpoints.save(lenet(), good);
        byte[] bytes = Files.readAllBytes(good);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int dataStart = (int) (8 + headerLength);

        Rng.seed(11);
        Sequential model = lenet();
        Map<String, float[]> before = snapshot(model);
        int[] cuts = {0, 1, 7, 8, 9, 100, dataStart - 1, dataStart, dataStart + 3, dataStart + 4 * 150,
                bytes.length / 2, bytes.length - 4, bytes.length - 1};
        for (int cut : cuts) {
            Path file = dir.resolve("cut-" + cut + ".safetensors");
            Files.write(file, Arrays.copyOf(bytes, cut));
            for (ThrowingLoad load : List.<ThrowingLoad>of(f -> Checkpoints.load(model, f), Checkpoints::load,
                    f -> Checkpoints.load(model, f, false), Checkpoints::loadTensor)) {
                FileFormatException e = assertThrows(FileFormatException.class, () -> load.load(file), "cut at " + cut);
                String m = e.getMessage();
                assertTrue(m.startsWith(file + ": "), m);
                assertEquals(file, e.file());
                assertTrue(m.contains("truncated") || m.contains(" long, but a safetensors file starts with"), "cut at " + cut + ": " + m);
            }
            assertUnchanged(before, model);
        }
    }

    @FunctionalInterface
    interface ThrowingLoad {
        Object load(Path file) throws IOException;
    }

    @Test
    void corruptedFilesNameTheFileAndTheProblem() throws IOException {
        Path good = dir.resolve("good.safetensors");
        Checkpoints.save(new Linear(4, 3), good);
        byte[] bytes = Files.readAllBytes(good);
        Linear model = new Linear(4, 3);
        Map<String, float[]> before = snapshot(model);

        byte[] badJson = bytes.clone();
        badJson[8] = 'x'; // the header's opening brace
        Path f1 = dir.resolve("bad-json.safetensors");
        Files.write(f1, badJson);
        FileFormatException e1 = assertThrows(FileFormatException.class, () -> Checkpoints.load(model, f1));
        assertTrue(e1.getMessage().startsWith(f1 + ": the header is not valid JSON"), e1.getMessage());

        byte[] extra = Arrays.copyOf(bytes, bytes.length + 4);
        Path f2 = dir.resolve("extra.safetensors");
        Files.write(f2, extra);
        FileFormatException e2 = assertThrows(FileFormatException.class, () -> Checkpoints.load(model, f2));
        assertTrue(e2.getMessage().startsWith(f2 + ": 4 bytes follow the end of the last tensor's data"),
                e2.getMessage());

        Path zip = dir.resolve("model.pt");
        Files.write(zip, new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0});
        FileFormatException e3 = assertThrows(FileFormatException.class, () -> Checkpoints.load(model, zip));
        assertTrue(e3.getMessage().contains("zip archive"), e3.getMessage());
        assertUnchanged(before, model);

        Path absent = dir.resolve("absent.safetensors");
        NoSuchFileException e4 = assertThrows(NoSuchFileException.class, () -> Checkpoints.load(model, absent));
        assertEquals(absent + ": no such file", e4.getMessage());
        Path nowhere = dir.resolve("no-dir").resolve("x.safetensors");
        NoSuchFileException e5 = assertThrows(NoSuchFileException.class, () -> Checkpoints.load(nowhere));
        assertTrue(e5.getMessage().contains("the directory " + nowhere.getParent() + " does not exist"),
                e5.getMessage());
        IOException e6 = assertThrows(IOException.class, () -> Checkpoints.load(dir));
        assertEquals(dir + ": is a directory, not a checkpoint file", e6.getMessage());
        assertUnchanged(before, model);
    }

    @Test
    void aNewerFormatIsRefusedClearly() throws IOException {
        Path file = dir.resolve("future.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(Checkpoints.FORMAT_KEY, "2");
        meta.put(Checkpoints.VERSION_KEY, "9.0.0");
        SafeTensors.write(file, List.of(new NamedArray("weight", new int[] {3, 4}, new float[12]),
                new NamedArray("bias", new int[] {3}, new float[3])), meta);
        Linear model = new Linear(4, 3);
        Map<String, float[]> before = snapshot(model);
        for (ThrowingLoad load : List.<ThrowingLoad>of(f -> Checkpoints.load(model, f), Checkpoints::load,
                Checkpoints::loadTensor, Checkpoints::metadata)) {
            FileFormatException e = assertThrows(FileFormatException.class, () -> load.load(file));
            assertEquals(file + ": the checkpoint was written by vectorgrad 9.0.0 in checkpoint format 2, but this"
                    + " vectorgrad (" + Checkpoints.version() + ") reads format 1 and older; upgrade vectorgrad to load it",
                    e.getMessage());
        }
        assertUnchanged(before, model);

        meta.put(Checkpoints.FORMAT_KEY, "beta");
        SafeTensors.write(file, List.of(new NamedArray("weight", new int[] {3, 4}, new float[12])), meta);
        FileFormatException odd = assertThrows(FileFormatException.class, () -> Checkpoints.load(file));
        assertTrue(odd.getMessage().contains("records format 'beta'"), odd.getMessage());

        // A newer format may hold what this version cannot parse at all; its version still explains it.
        String header = "{\"__metadata__\":{\"vectorgrad.format\":\"3\"},"
                + "\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        Path f8 = dir.resolve("f8.safetensors");
        Files.write(f8, b.array());
        FileFormatException e = assertThrows(FileFormatException.class, () -> Checkpoints.load(f8));
        assertTrue(e.getMessage().startsWith(f8 + ": the checkpoint was written in checkpoint format 3"), e.getMessage());
        assertTrue(e.getMessage().contains("upgrade vectorgrad"), e.getMessage());
        assertTrue(e.getMessage().contains("F8_E4M3"), e.getMessage());
    }

    // ================================================================ atomic saving

    @Test
    void aSaveThatFailsMidStreamLeavesTheOldCheckpointAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Checkpoints.save(lenet(), file);
        byte[] before = Files.readAllBytes(file);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("big", Tensor.randn(300_000)); // more than the write buffer: bytes reach the temporary file
        tensors.put("lost", unreadable(16));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Checkpoints.save(tensors, file));
        assertEquals("device lost", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(file), listDir());
    }

    @Test
    void aSaveThatCannotStartLeavesEverythingAsItWas() throws IOException {
        Path nowhere = dir.resolve("missing-dir").resolve("m.safetensors");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Checkpoints.save(lenet(), nowhere));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertEquals(List.of(), listDir());

        Path sub = Files.createDirectory(dir.resolve("ro"));
        Path file = sub.resolve("m.safetensors");
        Checkpoints.save(new Linear(2, 2), file);
        byte[] before = Files.readAllBytes(file);
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("r-x------"));
        try {
            Assumptions.assumeFalse(Files.isWritable(sub), "running as root: a read-only directory is still writable");
            IOException ro = assertThrows(IOException.class, () -> Checkpoints.save(lenet(), file));
            assertTrue(ro.getMessage().contains(sub.toString()), ro.getMessage());
            assertArrayEquals(before, Files.readAllBytes(file));
            try (Stream<Path> s = Files.list(sub)) {
                assertEquals(List.of(file), s.toList());
            }
        } finally {
            Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void invalidNamesAreRefusedBeforeTheFileIsTouched() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("", Tensor.zeros(1));
        assertThrows(IllegalArgumentException.class, () -> Checkpoints.save(bad, file));
        Map<String, Tensor> nul = new LinkedHashMap<>();
        nul.put("x", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.save(nul, file));
        assertTrue(e.getMessage().contains("tensor 'x' is null"), e.getMessage());
        assertEquals(List.of(), listDir());
    }

    // ================================================================ helpers

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    private static Map<String, float[]> snapshot(Module m) {
        Map<String, float[]> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.toArray()));
        return out;
    }

    private static void assertUnchanged(Map<String, float[]> before, Module m) {
        Map<String, Tensor> now = m.stateDict();
        assertEquals(List.copyOf(before.keySet()), List.copyOf(now.keySet()));
        before.forEach((k, v) -> assertArrayEquals(v, now.get(k).toArray(), () -> k + " changed"));
    }

    /** A tensor whose values cannot be fetched, as when a device goes away during a save. */
    private static Tensor unreadable(int n) {
        Backend broken = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "toArray" -> throw new IllegalStateException("device lost");
                    case "toString", "name" -> "broken";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        Storage storage = () -> n;
        return Tensor.wrap(storage, Layout.contiguous(n), broken);
    }
}
