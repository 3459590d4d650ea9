package dev.vectorgrad.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ round trips

    @Test
    void roundTripKeepsNamesInOrderShapesValuesAndMetadata() throws IOException {
        Random r = new Random(1);
        List<NamedArray> arrays = List.of(
                new NamedArray("conv1.weight", new int[] {2, 1, 3, 3}, random(r, 18)),
                new NamedArray("conv1.bias", new int[] {2}, random(r, 2)),
                new NamedArray("a.scalar", new int[] {}, new float[] {3.5f}),
                new NamedArray("empty", new int[] {0, 4}, new float[0]),
                new NamedArray("also.empty", new int[] {0}, new float[0]),
                new NamedArray("fc.weight", new int[] {3, 5}, random(r, 15)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "Grüße, \"quotes\", back\\slash, tab\t, newline\n, \u0001 and 😀");
        Path file = dir.resolve("model.safetensors");
        SafeTensors.write(file, arrays, meta);

        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(List.of("conv1.weight", "conv1.bias", "a.scalar", "empty", "also.empty", "fc.weight"),
                List.copyOf(c.tensors().keySet()));
        for (NamedArray a : arrays) {
            assertEquals(a, c.get(a.name()));
            assertArrayEquals(a.shape(), c.get(a.name()).shape());
            assertEquals(SafeTensors.Dtype.F32, c.header().tensor(a.name()).dtype());
        }
        assertEquals(meta, c.metadata());
        assertEquals(List.copyOf(meta.keySet()), List.copyOf(c.metadata().keySet()));
        assertEquals(0, c.header().dataStart() % 8, "data section is 8-byte aligned");
        assertEquals(Files.size(file), c.header().dataStart() + 4L * (18 + 2 + 1 + 15));
    }

    @Test
    void noTensorsAndNoMetadataIsAValidFile() throws IOException {
        Path file = dir.resolve("nothing.safetensors");
        SafeTensors.write(file, List.of());
        // the same 16 bytes the reference writer produces for an empty dictionary
        assertArrayEquals(concat(le64(8), "{}      ".getBytes(StandardCharsets.US_ASCII)), Files.readAllBytes(file));
        SafeTensors.Contents c = SafeTensors.read(file);
        assertTrue(c.tensors().isEmpty());
        assertTrue(c.metadata().isEmpty());
    }

    @Test
    void specialValuesSurviveBitForBit() throws IOException {
        int[] bits = {
                0x7FC00000, // canonical NaN
                0x7FC00123, // quiet NaN with a payload
                0xFFC00001, // negative NaN with a payload
                0x7F800000, 0xFF800000, // +inf, -inf
                0x80000000, 0x00000000, // -0.0, +0.0
                0x00000001, 0x807FFFFF, // smallest subnormal, largest negative subnormal
                0x7F7FFFFF, 0x3F800000, 0xC0490FDB};
        float[] values = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            values[i] = Float.intBitsToFloat(bits[i]);
        }
        Path file = dir.resolve("special.safetensors");
        SafeTensors.write(file, List.of(new NamedArray("x", new int[] {bits.length}, values)));
        float[] back = SafeTensors.read(file).get("x").data();
        for (int i = 0; i < bits.length; i++) {
            assertEquals(bits[i], Float.floatToRawIntBits(back[i]), "value " + i);
        }
        // and on disk they are exactly those bits, little-endian
        byte[] raw = Files.readAllBytes(file);
        ByteBuffer data = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long start = SafeTensors.readHeader(file).dataStart();
        for (int i = 0; i < bits.length; i++) {
            assertEquals(bits[i], data.getInt((int) start + 4 * i));
        }
    }

    @Test
    void largeTensorsCrossTheReadBufferBoundaries() throws IOException {
        Random r = new Random(7);
        float[] big = random(r, 700_001); // ~2.7 MiB: several 1 MiB chunks and a ragged tail
        float[] small = random(r, 3);
        Path file = dir.resolve("big.safetensors");
        SafeTensors.write(file, List.of(new NamedArray("s", new int[] {3}, small),
                new NamedArray("big", new int[] {700_001}, big)));
        assertArrayEquals(big, SafeTensors.read(file).get("big").data());
        assertArrayEquals(small, SafeTensors.readTensor(file, "s").data());
        assertArrayEquals(big, SafeTensors.readTensor(file, "big").data());
    }

    @Test
    void readHeaderDescribesTensorsWithoutLoadingThem() throws IOException {
        Path file = dir.resolve("h.safetensors");
        SafeTensors.write(file, List.of(new NamedArray("w", new int[] {2, 3}, new float[6]),
                new NamedArray("b", new int[] {3}, new float[3])), Map.of("epoch", "3"));
        SafeTensors.Header h = SafeTensors.readHeader(file);
        assertEquals(List.of("w", "b"), h.names());
        assertEquals(new SafeTensors.TensorInfo("w", SafeTensors.Dtype.F32, new int[] {2, 3}, 0, 24), h.tensor("w"));
        assertEquals(new SafeTensors.TensorInfo("b", SafeTensors.Dtype.F32, new int[] {3}, 24, 36), h.tensor("b"));
        assertEquals(Map.of("epoch", "3"), h.metadata());
    }

    @Test
    void missingNamesAreListedInTheError() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.write(file, List.of(new NamedArray("fc1.weight", new int[] {1}, new float[1]),
                new NamedArray("fc1.bias", new int[] {1}, new float[1])));
        var e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.readTensor(file, "fc2.weight"));
        assertContains(e.getMessage(), "no tensor named 'fc2.weight'", "'fc1.weight'", "'fc1.bias'", file.toString());
        var e2 = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(file).get("x"));
        assertContains(e2.getMessage(), "no tensor named 'x'", "2 tensors");
    }

    // ------------------------------------------------------------------ byte layout

    /** A tiny file assembled byte by byte: what any other safetensors implementation writes and reads. */
    @Test
    void layoutIsExactlyTheSafetensorsFormat() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        SafeTensors.write(file, List.of(
                        new NamedArray("a", new int[] {2}, new float[] {1.0f, -2.0f}),
                        new NamedArray("b", new int[] {}, new float[] {0.5f})),
                Map.of("format", "pt"));

        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}";
        assertEquals(138, json.length());
        String padded = json + "      "; // to 144, a multiple of 8
        byte[] expected = concat(
                new byte[] {(byte) 144, 0, 0, 0, 0, 0, 0, 0},
                padded.getBytes(StandardCharsets.US_ASCII),
                new byte[] {0x00, 0x00, (byte) 0x80, 0x3F}, // 1.0f little-endian
                new byte[] {0x00, 0x00, 0x00, (byte) 0xC0}, // -2.0f
                new byte[] {0x00, 0x00, 0x00, 0x3F}); // 0.5f
        assertArrayEquals(expected, Files.readAllBytes(file));
    }

    /** The header the reference writer produces for one (1, 2, 3) tensor named "attn.0": 64 bytes, no padding. */
    @Test
    void headerMatchesTheReferenceWritersOutput() throws IOException {
        Path file = dir.resolve("attn.safetensors");
        SafeTensors.write(file, List.of(new NamedArray("attn.0", new int[] {1, 2, 3}, new float[] {0, 1, 2, 3, 4, 5})));
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(64, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0));
        assertEquals("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}",
                new String(bytes, 8, 64, StandardCharsets.UTF_8));
        assertEquals(8 + 64 + 24, bytes.length);
    }

    @Test
    void readsFilesWrittenInAnyKeyOrderWithWhitespace() throws IOException {
        // tensors listed out of data order, keys in another order, pretty-printed, metadata last
        String header = "{\n  \"z\": {\"data_offsets\": [0, 4], \"shape\": [1], \"dtype\": \"F32\"},\n"
                + "  \"a\": {\"shape\": [2], \"dtype\": \"F32\", \"data_offsets\": [4, 12]},\n"
                + "  \"__metadata__\": {\"k\": \"v\"}\n}";
        Path file = write("order.safetensors", header, f32(7f, 1f, 2f));
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(List.of("z", "a"), List.copyOf(c.tensors().keySet()));
        assertArrayEquals(new float[] {7f}, c.get("z").data());
        assertArrayEquals(new float[] {1f, 2f}, c.get("a").data());
        assertEquals(Map.of("k", "v"), c.metadata());
    }

    @Test
    void otherDtypesAreConvertedToFloat() throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<String, int[]> offsets = new LinkedHashMap<>();
        StringBuilder h = new StringBuilder("{");
        List<Object[]> specs = new ArrayList<>();
        specs.add(new Object[] {"f64", "F64", le(8, Double.doubleToRawLongBits(1.0 / 3), Double.doubleToRawLongBits(-1e300),
                Double.doubleToRawLongBits(Double.NaN)), new float[] {1f / 3, Float.NEGATIVE_INFINITY, Float.NaN}});
        specs.add(new Object[] {"f16", "F16", le(2, 0x3C00, 0xC000, 0x0001, 0x7C00, 0x8000, 0x3555),
                new float[] {1f, -2f, 0x1p-24f, Float.POSITIVE_INFINITY, -0f, 0.333251953125f}});
        specs.add(new Object[] {"bf16", "BF16", le(2, 0x3F80, 0xC0A0, 0x7F80, 0x0001),
                new float[] {1f, -5f, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x00010000)}});
        specs.add(new Object[] {"i64", "I64", le(8, -7L, 1L << 40, Long.MAX_VALUE),
                new float[] {-7f, 0x1p40f, 0x1p63f}});
        specs.add(new Object[] {"u64", "U64", le(8, -1L, 5L), new float[] {0x1p64f, 5f}});
        specs.add(new Object[] {"i32", "I32", le(4, -1, 16_777_217, Integer.MIN_VALUE),
                new float[] {-1f, 16_777_216f, -0x1p31f}});
        specs.add(new Object[] {"u32", "U32", le(4, 0xFFFFFFFFL, 3), new float[] {0x1p32f, 3f}});
        specs.add(new Object[] {"i16", "I16", le(2, 0xFFFF, 0x7FFF), new float[] {-1f, 32767f}});
        specs.add(new Object[] {"u16", "U16", le(2, 0xFFFF, 2), new float[] {65535f, 2f}});
        specs.add(new Object[] {"i8", "I8", new byte[] {(byte) 0x80, 5}, new float[] {-128f, 5f}});
        specs.add(new Object[] {"u8", "U8", new byte[] {(byte) 0xFF, 0, 7}, new float[] {255f, 0f, 7f}});
        specs.add(new Object[] {"bool", "BOOL", new byte[] {1, 0, 1}, new float[] {1f, 0f, 1f}});
        for (Object[] s : specs) {
            byte[] b = (byte[]) s[2];
            int begin = data.size();
            data.write(b);
            int n = ((float[]) s[3]).length;
            if (h.length() > 1) {
                h.append(',');
            }
            h.append('"').append(s[0]).append("\":{\"dtype\":\"").append(s[1]).append("\",\"shape\":[").append(n)
                    .append("],\"data_offsets\":[").append(begin).append(',').append(data.size()).append("]}");
            offsets.put((String) s[0], new int[] {begin, data.size()});
        }
        h.append('}');
        Path file = write("dtypes.safetensors", h.toString(), data.toByteArray());
        SafeTensors.Contents c = SafeTensors.read(file);
        for (Object[] s : specs) {
            String name = (String) s[0];
            float[] expected = (float[]) s[3];
            float[] actual = c.get(name).data();
            assertEquals(expected.length, actual.length, name);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                        name + "[" + i + "]: expected " + expected[i] + " got " + actual[i]);
            }
            assertEquals(SafeTensors.Dtype.valueOf((String) s[1]), c.header().tensor(name).dtype());
            assertArrayEquals(SafeTensors.readTensor(file, name).data(), actual, name);
        }
    }

    @Test
    void unsignedLongConversionRoundsToNearest() {
        assertEquals(0x1p64f, SafeTensors.unsignedLongToFloat(-1L));
        assertEquals(0x1p63f, SafeTensors.unsignedLongToFloat(Long.MIN_VALUE));
        // 2^63 + 2^39 + 1 lies just above the midpoint between two floats: it must round up
        long v = Long.MIN_VALUE + (1L << 39) + 1;
        assertEquals(0x1p63f + 0x1p40f, SafeTensors.unsignedLongToFloat(v));
        assertEquals(0x1p63f, SafeTensors.unsignedLongToFloat(Long.MIN_VALUE + (1L << 39))); // tie: to even
    }

    // ------------------------------------------------------------------ corrupt files

    @Test
    void fileShorterThanEightBytes() throws IOException {
        Path empty = dir.resolve("empty.safetensors");
        Files.write(empty, new byte[0]);
        assertBad(empty, "file is only 0 bytes long", "8-byte header length");
        Path five = dir.resolve("five.safetensors");
        Files.write(five, new byte[] {1, 2, 3, 4, 5});
        assertBad(five, "file is only 5 bytes long");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        Path f = dir.resolve("long.safetensors");
        Files.write(f, concat(le64(1000), "{}".getBytes(StandardCharsets.US_ASCII)));
        assertBad(f, "file is truncated or not a safetensors file: the header length field says 1000 bytes",
                "only 2 bytes after it");
        Files.write(f, concat(le64(-1), "{}".getBytes(StandardCharsets.US_ASCII)));
        assertBad(f, "says 18446744073709551615 bytes");
    }

    @Test
    void otherKindsOfFileAreRecognised() throws IOException {
        Path zip = dir.resolve("model.pt");
        Files.write(zip, concat(new byte[] {'P', 'K', 3, 4}, new byte[60]));
        assertBad(zip, "not a safetensors file: it looks like a zip archive", "PyTorch .pt/.pth");
        Path idx = dir.resolve("labels");
        Files.write(idx, new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 5});
        assertBad(idx, "not a safetensors file: it looks like an IDX file");
        Path pickle = dir.resolve("old.pt");
        Files.write(pickle, concat(new byte[] {(byte) 0x80, 2}, new byte[30]));
        assertBad(pickle, "Python pickle");
    }

    @Test
    void headerLargerThanTheLimitIsRefused() throws IOException {
        Path f = dir.resolve("huge.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(le64(200_000_000));
            raf.setLength(8 + 200_000_000 + 16); // sparse: takes no disk space
        }
        assertBad(f, "header is 200000000 bytes", "100000000");
    }

    @Test
    void headerNotUtf8NotJsonOrNotAnObject() throws IOException {
        Path f = dir.resolve("h.safetensors");
        Files.write(f, concat(le64(8), new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}', ' '}));
        assertBad(f, "header is not valid UTF-8");
        assertBad(write("j1.safetensors", "{\"a\":", new byte[0]), "header is not valid JSON", "text ends");
        assertBad(write("j2.safetensors", "{\"a\":{},}", new byte[0]), "header is not valid JSON");
        assertBad(write("j3.safetensors", "", new byte[0]), "header is not valid JSON");
        assertBad(write("j4.safetensors", "[1, 2]", new byte[0]), "header must be a JSON object", "an array");
        assertBad(write("j5.safetensors", "{\"a\": 5}", new byte[0]), "tensor 'a' must be described by an object",
                "the number 5");
    }

    @Test
    void unknownOrMalformedDtype() throws IOException {
        assertBad(write("d1.safetensors", info("w", "F8_E4M3", "[2]", 0, 2), new byte[2]),
                "tensor 'w' has dtype 'F8_E4M3', which vectorgrad cannot read", "F32, F64");
        assertBad(write("d2.safetensors", "{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "tensor 'w': dtype must be a string");
    }

    @Test
    void missingOrExtraKeysAndBadShapesOrOffsets() throws IOException {
        assertBad(write("k1.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]),
                "tensor 'w' has no 'data_offsets'");
        assertBad(write("k2.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"order\":\"F\"}}",
                new byte[4]), "tensor 'w' has an unexpected key 'order'");
        assertBad(write("k3.safetensors", info("w", "F32", "[-1]", 0, 4), new byte[4]),
                "tensor 'w': shape must be a list of integers", "[-1]");
        assertBad(write("k4.safetensors", info("w", "F32", "[1.5]", 0, 4), new byte[4]), "shape must be a list of integers");
        assertBad(write("k5.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]),
                "data_offsets must be [begin, end]");
        assertBad(write("k6.safetensors", info("w", "F32", "[0]", 4, 0), new byte[0]), "end before they begin");
        assertBad(write("k7.safetensors", info("w", "F32", "[65536,65536,65536,65536]", 0, 4), new byte[4]),
                "too large");
    }

    @Test
    void shapeAndOffsetsDisagree() throws IOException {
        assertBad(write("s.safetensors", info("w", "F32", "[2,3]", 0, 20), new byte[20]),
                "tensor 'w' has shape (2, 3) of F32, which needs 24 bytes, but its data_offsets [0, 20] span 20 bytes");
    }

    @Test
    void overlappingOrGappedOffsets() throws IOException {
        String overlap = "{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("b", "F32", "[4]", 8, 24) + "}";
        assertBad(write("o.safetensors", overlap, new byte[24]),
                "tensors 'a' (bytes 0..16) and 'b' (bytes 8..24) overlap");
        String gap = "{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 16, 24) + "}";
        assertBad(write("g.safetensors", gap, new byte[24]),
                "bytes 8..16 of the data section belong to no tensor", "between 'a' and 'b'");
        String late = "{" + entry("a", "F32", "[2]", 8, 16) + "}";
        assertBad(write("l.safetensors", late, new byte[16]), "bytes 0..8 of the data section belong to no tensor",
                "before the first tensor, 'a'");
    }

    @Test
    void truncatedDataSectionNamesTheTensor() throws IOException {
        String header = "{" + entry("conv1.bias", "F32", "[300]", 0, 1200) + ","
                + entry("conv1.weight", "F32", "[300]", 1200, 2400) + "}";
        Path f = write("t.safetensors", header, new byte[1800]);
        assertBad(f, "file is truncated: tensor 'conv1.weight' needs bytes 1200..2400 of the data section "
                + "but the file ends at 1800");
    }

    @Test
    void offsetsFarOutOfRange() throws IOException {
        assertBad(write("r.safetensors", info("w", "U8", "[4]", 9_000_000_000_000L, 9_000_000_000_004L), new byte[4]),
                "belong to no tensor");
        assertBad(write("r2.safetensors", info("w", "U8", "[1]", 0, 1) .replace("[0,1]", "[0,99999999999999999999]"),
                new byte[1]), "data_offsets must be a list of integers");
    }

    @Test
    void bytesAfterTheLastTensorAreAnError() throws IOException {
        assertBad(write("x.safetensors", info("w", "F32", "[1]", 0, 4), new byte[10]),
                "6 bytes follow the end of the last tensor's data");
    }

    @Test
    void duplicateNames() throws IOException {
        String dup = "{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}";
        assertBad(write("dup.safetensors", dup, new byte[8]), "the header lists the name 'w' twice");
    }

    @Test
    void metadataMustMapStringsToStrings() throws IOException {
        assertBad(write("md1.safetensors", "{\"__metadata__\":{\"epoch\":3}}", new byte[0]),
                "'__metadata__' must map strings to strings, but 'epoch' is the number 3");
        assertBad(write("md2.safetensors", "{\"__metadata__\":[\"a\"]}", new byte[0]),
                "'__metadata__' must be an object");
    }

    /** Every way of cutting a good file short is reported as a format error, never a crash or a wrong result. */
    @Test
    void aGoodFileCutAnywhereIsRejected() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafeTensors.write(good, List.of(new NamedArray("w", new int[] {4, 4}, random(new Random(3), 16)),
                new NamedArray("b", new int[] {4}, random(new Random(4), 4))), Map.of("k", "v"));
        byte[] bytes = Files.readAllBytes(good);
        int dataStart = (int) SafeTensors.readHeader(good).dataStart();
        int[] cuts = {0, 1, 7, 8, 9, dataStart / 2, dataStart - 1, dataStart, dataStart + 1, dataStart + 63,
                dataStart + 64, bytes.length - 1};
        for (int cut : cuts) {
            Path f = dir.resolve("cut" + cut + ".safetensors");
            Files.write(f, Arrays.copyOf(bytes, cut));
            var e = assertThrows(FileFormatException.class, () -> SafeTensors.read(f), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
            if (cut > dataStart) {
                assertContains(e.getMessage(), "file is truncated: tensor '" + (cut >= dataStart + 64 ? "b" : "w") + "'");
            }
        }
    }

    // ------------------------------------------------------------------ writing: validation and atomicity

    @Test
    void badInputIsRefusedBeforeTheFileIsTouched() throws IOException {
        Path f = dir.resolve("v.safetensors");
        NamedArray a = new NamedArray("w", new int[] {1}, new float[1]);
        var dup = assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, List.of(a, a)));
        assertContains(dup.getMessage(), "two tensors are named 'w'", f.toString());
        var reserved = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(f, List.of(new NamedArray("__metadata__", new int[] {1}, new float[1]))));
        assertContains(reserved.getMessage(), "reserved");
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(f, List.of(new NamedArray("", new int[] {1}, new float[1]))));
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(f, List.of(), nullValue));
        var mismatch = assertThrows(IllegalArgumentException.class,
                () -> new NamedArray("w", new int[] {2, 3}, new float[5]));
        assertContains(mismatch.getMessage(), "'w'", "(2, 3)", "6 elements", "5 values");
        assertFalse(Files.exists(f));
        assertEquals(List.of(), listDir());
    }

    @Test
    void aFailingWriteLeavesTheExistingFileIntact() throws IOException {
        Path f = dir.resolve("model.safetensors");
        SafeTensors.write(f, List.of(new NamedArray("old", new int[] {2}, new float[] {1, 2})));
        byte[] before = Files.readAllBytes(f);

        AtomicInteger calls = new AtomicInteger();
        List<SafeTensors.Entry> entries = List.of(
                new SafeTensors.Entry("first", new int[] {300_000}, () -> {
                    calls.incrementAndGet();
                    return new float[300_000]; // written in full before the failure
                }),
                new SafeTensors.Entry("second", new int[] {4}, () -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("device lost");
                }));
        var e = assertThrows(IllegalStateException.class, () -> SafeTensors.writeStreaming(f, entries, Map.of()));
        assertEquals("device lost", e.getMessage());
        assertEquals(2, calls.get());
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of("model.safetensors"), listDir(), "no temporary file is left behind");

        // a supplier returning the wrong number of values is caught mid-write, with the same guarantee
        List<SafeTensors.Entry> wrong = List.of(new SafeTensors.Entry("w", new int[] {2, 2}, () -> new float[3]));
        var e2 = assertThrows(IllegalStateException.class, () -> SafeTensors.writeStreaming(f, wrong, Map.of()));
        assertContains(e2.getMessage(), "tensor 'w' has shape (2, 2) (4 elements) but its data has 3 values",
                "was not written");
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of("model.safetensors"), listDir());
        assertEquals(List.of("old"), SafeTensors.readHeader(f).names());
    }

    @Test
    void streamingWriteFetchesValuesOneTensorAtATime() throws IOException {
        Path f = dir.resolve("s.safetensors");
        List<String> order = new ArrayList<>();
        SafeTensors.writeStreaming(f, List.of(
                new SafeTensors.Entry("b", new int[] {2}, () -> {
                    order.add("b");
                    return new float[] {1, 2};
                }),
                new SafeTensors.Entry("a", new int[] {1}, () -> {
                    order.add("a");
                    return new float[] {3};
                })), Map.of());
        assertEquals(List.of("b", "a"), order);
        assertEquals(List.of("b", "a"), SafeTensors.readHeader(f).names());
    }

    // ------------------------------------------------------------------ helpers

    private static void assertBad(Path file, String... fragments) {
        var e = assertThrows(FileFormatException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), "names the file: " + e.getMessage());
        assertEquals(file, e.file());
        assertContains(e.getMessage(), fragments);
        var h = assertThrows(FileFormatException.class, () -> SafeTensors.readHeader(file));
        assertEquals(e.getMessage(), h.getMessage());
    }

    static void assertContains(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), "expected \"" + f + "\" in: " + message);
        }
    }

    private Path write(String name, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path f = dir.resolve(name);
        Files.write(f, concat(le64(h.length), h, data));
        return f;
    }

    private static String info(String name, String dtype, String shape, long begin, long end) {
        return "{" + entry(name, dtype, shape, begin, end) + "}";
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    /** Little-endian encoding of integer bit patterns, {@code size} bytes each. */
    private static byte[] le(int size, long... values) {
        ByteBuffer b = ByteBuffer.allocate(size * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (size) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                case 8 -> b.putLong(v);
                default -> throw new IllegalArgumentException();
            }
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
