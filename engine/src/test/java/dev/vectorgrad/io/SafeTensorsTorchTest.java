package dev.vectorgrad.io;

import dev.vectorgrad.testing.TorchPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interoperability with PyTorch, where it is installed (Debian {@code python3-torch}): PyTorch reads
 * what vectorgrad writes bit for bit, and vectorgrad reads what a reference-style writer produces from
 * torch tensors of every dtype, converting to float exactly as torch does. Skipped, with the reason,
 * when python3, torch or numpy is missing (see {@link TorchPeer}).
 */
class SafeTensorsTorchTest {

    @TempDir
    Path dir;

    @Test
    void torchAgreesBitForBitInBothDirections() throws Exception {
        Random r = new Random(42);
        float[] weight = SafeTensorsTest.random(r, 12);
        weight[0] = Float.NaN;
        weight[1] = Float.NEGATIVE_INFINITY;
        weight[2] = -0.0f;
        weight[3] = Float.MIN_VALUE;
        List<NamedArray> arrays = List.of(
                new NamedArray("layer1.weight", new int[] {4, 3}, weight),
                new NamedArray("layer1.bias", new int[] {4}, SafeTensorsTest.random(r, 4)),
                new NamedArray("scalar", new int[] {}, new float[] {Float.MAX_VALUE}),
                new NamedArray("empty", new int[] {0, 2}, new float[0]),
                new NamedArray("a.last", new int[] {2, 2, 2}, SafeTensorsTest.random(r, 8)));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "Grüße \"quoted\" \\ / \t\u0001 😀");
        Path ours = dir.resolve("ours.safetensors");
        SafeTensors.write(ours, arrays, metadata);

        List<Object> expectedTensors = new ArrayList<>();
        for (NamedArray a : arrays) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", a.name());
            t.put("shape", a.shape());
            t.put("bits", bits(a.data()));
            expectedTensors.add(t);
        }
        Path expected = dir.resolve("expected.json");
        Files.writeString(expected, Json.write(Map.of("metadata", metadata, "tensors", expectedTensors)));

        Path theirs = dir.resolve("theirs.safetensors");
        Path theirsExpected = dir.resolve("theirs.json");
        String output = TorchPeer.run(Duration.ofSeconds(120), TorchPeer.script("safetensors_check.py"),
                ours.toString(), expected.toString(), theirs.toString(), theirsExpected.toString());

        SafeTensors.Contents c = SafeTensors.read(theirs);
        Map<?, ?> want = (Map<?, ?>) Json.parse(Files.readString(theirsExpected));
        assertEquals(want.get("metadata"), c.metadata());
        List<?> tensors = (List<?>) want.get("tensors");
        assertEquals(tensors.size(), c.tensors().size());
        List<String> order = new ArrayList<>();
        for (Object o : tensors) {
            Map<?, ?> t = (Map<?, ?>) o;
            String name = (String) t.get("name");
            order.add(name);
            NamedArray a = c.get(name);
            assertEquals(t.get("dtype"), c.header().tensor(name).dtype().name(), name);
            assertEquals(t.get("shape"), toLongs(a.shape()), name);
            List<?> wantBits = (List<?>) t.get("bits");
            List<Long> gotBits = bits(a.data()).stream().map(Long::valueOf).toList();
            assertEquals(wantBits, gotBits, () -> name + ": torch converts to " + floats(wantBits) + " but we read "
                    + floats(gotBits));
        }
        assertEquals(order, List.copyOf(c.tensors().keySet()), "tensors come back in data order");
        assertTrue(output.startsWith("OK"), output);
    }

    private static List<Integer> bits(float[] values) {
        List<Integer> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(Float.floatToRawIntBits(v));
        }
        return out;
    }

    private static List<Long> toLongs(int[] shape) {
        List<Long> out = new ArrayList<>();
        for (int d : shape) {
            out.add((long) d);
        }
        return out;
    }

    private static String floats(List<?> bits) {
        StringBuilder sb = new StringBuilder("[");
        for (Object b : bits) {
            sb.append(sb.length() > 1 ? ", " : "").append(Float.intBitsToFloat(((Number) b).intValue()));
        }
        return sb.append(']').toString();
    }
}
