package dev.vectorgrad.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads and writes the safetensors format, the tensor file format of the Hugging Face ecosystem, so
 * that weights move between vectorgrad and PyTorch (or anything else that speaks it).
 *
 * <h2>Layout</h2>
 * <pre>
 *   8 bytes   N, the header length, unsigned little-endian
 *   N bytes   header: UTF-8 JSON object, padded with spaces so that N is a multiple of 8
 *             {"__metadata__":{"k":"v"},"name":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},...}
 *   rest      data section: each tensor's elements, little-endian, row-major; data_offsets are
 *             [begin, end) byte positions relative to the start of this section
 * </pre>
 *
 * <h2>Writing</h2>
 * Only F32 is written. Tensors are laid out in the order given (a model's parameters in layer order
 * stay in that order in the header and in the data), and {@code __metadata__}, when there is any, comes
 * first. The reference writer instead sorts tensors by dtype and then by name; readers do not depend
 * on either order (they locate tensors by their offsets), so files written here load everywhere, and
 * a person looking at the header sees the model's own order. The header is compact JSON with the keys
 * in the reference's order ({@code dtype}, {@code shape}, {@code data_offsets}), padded with spaces to
 * a multiple of 8 so that the data section is 8-byte aligned. Writes are atomic (see
 * {@link AtomicFiles}): an existing file is replaced only by a complete new one.
 *
 * <h2>Reading</h2>
 * Every structural rule is checked before any data is read, and a broken file is reported with a
 * {@link FileFormatException} that names the file and the problem. The rules are those of the
 * reference reader, so a file is accepted here exactly when it is well formed: the header is valid
 * UTF-8 JSON and at most {@value #MAX_HEADER_BYTES} bytes; each entry has exactly {@code dtype},
 * {@code shape} and {@code data_offsets}; the offsets' byte length equals elements &times; dtype size;
 * the tensors tile the data section from byte 0 to its end without overlap or gap; names are unique;
 * {@code __metadata__} maps strings to strings.
 *
 * <p>Values always come back as {@code float[]}. Types other than F32 are converted on reading:
 * F64 is rounded to the nearest float; F16 and BF16 widen exactly; integers (I8, U8, I16, U16, I32,
 * U32, I64, U64) become the nearest float, which is exact up to 2<sup>24</sup> in magnitude and
 * rounded beyond; BOOL becomes 0 or 1 (any non-zero byte is 1). {@link TensorInfo#dtype()} tells
 * what the file held. Other dtypes (the 8-, 6- and 4-bit float formats, complex) are refused with a
 * message naming them.
 *
 * <p>Memory: reading streams each tensor through a 1 MiB buffer straight into its {@code float[]},
 * so loading an F32 file needs about its own size in heap, plus one buffer. Writing with
 * {@link #writeStreaming} asks for each tensor's values only when it is its turn, so a model whose
 * weights live elsewhere (on a device, say) needs at most one tensor's copy at a time.
 */
public final class SafeTensors {

    /** Headers larger than this are refused, as other safetensors readers do. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The key of the optional string-to-string metadata object in the header. */
    public static final String METADATA_KEY = "__metadata__";

    private static final int CHUNK = 1 << 20;

    /** Element types a safetensors file can hold and vectorgrad can read; sizes in bytes. */
    public enum Dtype {
        BOOL(1), U8(1), I8(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4), F64(8), I64(8), U64(8);

        private final int size;

        Dtype(int size) {
            this.size = size;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        static String supportedList() {
            return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
        }
    }

    /**
     * One tensor as the header describes it. {@code begin} and {@code end} are byte offsets in the
     * data section; {@code dataStart} of the {@link Header} turns them into file positions.
     */
    public record TensorInfo(String name, Dtype dtype, int[] shape, long begin, long end) {
        public TensorInfo {
            shape = shape.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Number of elements (1 for a scalar, 0 for an empty tensor). */
        public long numel() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype
                    && Arrays.equals(shape, t.shape) && begin == t.begin && end == t.end;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
        }

        @Override
        public String toString() {
            return name + ": " + dtype + " " + NamedArray.shapeString(shape) + " bytes " + begin + ".." + end;
        }
    }

    /**
     * A validated header: metadata (empty when the file has none), the tensors in the order of their
     * data, and where the data section starts in the file.
     */
    public record Header(Map<String, String> metadata, List<TensorInfo> tensors, long dataStart) {
        public Header {
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
            tensors = List.copyOf(tensors);
        }

        /** Tensor names, in data order. */
        public List<String> names() {
            return tensors.stream().map(TensorInfo::name).toList();
        }

        /** The named tensor's description; the error lists the names the file does have. */
        public TensorInfo tensor(String name) {
            for (TensorInfo t : tensors) {
                if (t.name().equals(name)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("no tensor named '" + name + "'; the file has " + describeNames(names()));
        }
    }

    /** A whole file: its header and every tensor's values, by name, in data order. */
    public record Contents(Header header, Map<String, NamedArray> tensors) {
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        }

        public Map<String, String> metadata() {
            return header.metadata();
        }

        /** The named tensor; the error lists the names the file does have. */
        public NamedArray get(String name) {
            NamedArray a = tensors.get(name);
            if (a == null) {
                throw new IllegalArgumentException("no tensor named '" + name + "'; the file has "
                        + describeNames(header.names()));
            }
            return a;
        }
    }

    /**
     * A tensor to write whose values are fetched only when they are written (see
     * {@link #writeStreaming}). The supplier must return exactly as many values as the shape has
     * elements; it may throw, which abandons the write and leaves the target untouched.
     */
    public record Entry(String name, int[] shape, Supplier<float[]> data) {
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(data, "data");
            shape = shape.clone();
            NamedArray.numel(shape, name);
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        public static Entry of(NamedArray array) {
            float[] values = array.data();
            return new Entry(array.name(), array.shape(), () -> values);
        }

        int numel() {
            return (int) NamedArray.numel(shape, name);
        }
    }

    private SafeTensors() {
    }

    // ---------------------------------------------------------------- writing

    /** Writes the arrays as F32, in the given order, without metadata. */
    public static void write(Path file, List<NamedArray> arrays) throws IOException {
        write(file, arrays, Map.of());
    }

    /**
     * Writes the arrays as F32, in the given order, with string metadata (omitted from the header when
     * empty). Atomic: on any failure an existing file is left as it was.
     *
     * @throws IllegalArgumentException for two arrays with the same name, an empty name, the reserved
     *                                  name {@value #METADATA_KEY}, or null metadata keys or values;
     *                                  nothing is written then
     */
    public static void write(Path file, List<NamedArray> arrays, Map<String, String> metadata) throws IOException {
        writeStreaming(file, arrays.stream().map(Entry::of).toList(), metadata);
    }

    /**
     * Writes tensors whose values are supplied one at a time, in the given order, so that at most one
     * tensor's values need to be in memory at once. Names, shapes and metadata are checked before the
     * file is touched; a supplier that fails or returns the wrong number of values abandons the write,
     * leaving an existing file as it was.
     */
    public static void writeStreaming(Path file, List<Entry> entries, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(entries, "entries");
        Objects.requireNonNull(metadata, "metadata");
        byte[] header = headerBytes(file, entries, metadata);
        AtomicFiles.write(file, out -> {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            chunk.putLong(0, header.length);
            out.write(chunk.array(), 0, 8);
            out.write(header);
            for (Entry e : entries) {
                float[] values = e.data().get();
                int n = e.numel();
                if (values == null || values.length != n) {
                    throw new IllegalStateException("cannot write safetensors file " + file + ": tensor '" + e.name()
                            + "' has shape " + NamedArray.shapeString(e.shape) + " (" + n + " elements) but its data has "
                            + (values == null ? "no values (null)" : values.length + " values")
                            + "; the file was not written");
                }
                writeFloats(out, values, chunk);
            }
        });
    }

    private static void writeFloats(OutputStream out, float[] values, ByteBuffer chunk) throws IOException {
        int perChunk = CHUNK / Float.BYTES;
        for (int off = 0; off < values.length; off += perChunk) {
            int k = Math.min(perChunk, values.length - off);
            chunk.clear();
            chunk.asFloatBuffer().put(values, off, k);
            out.write(chunk.array(), 0, k * Float.BYTES);
        }
    }

    /** The padded header for these entries: compact JSON, then spaces up to a multiple of 8 bytes. */
    static byte[] headerBytes(Path file, List<Entry> entries, Map<String, String> metadata) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            Map<String, String> meta = new LinkedHashMap<>();
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (m.getKey() == null || m.getValue() == null) {
                    throw new IllegalArgumentException("cannot write safetensors file " + file
                            + ": metadata keys and values must not be null (" + m.getKey() + " = " + m.getValue() + ")");
                }
                requireWellFormed(file, "metadata key", m.getKey());
                requireWellFormed(file, "metadata value", m.getValue());
                meta.put(m.getKey(), m.getValue());
            }
            root.put(METADATA_KEY, meta);
        }
        long offset = 0;
        for (Entry e : entries) {
            Objects.requireNonNull(e, "entry");
            String name = e.name();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("cannot write safetensors file " + file + ": a tensor has an empty name");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("cannot write safetensors file " + file + ": '" + METADATA_KEY
                        + "' is reserved for the metadata and cannot name a tensor");
            }
            requireWellFormed(file, "tensor name", name);
            if (root.containsKey(name)) {
                throw new IllegalArgumentException("cannot write safetensors file " + file + ": two tensors are named '"
                        + name + "'");
            }
            long bytes = (long) e.numel() * Float.BYTES;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", Dtype.F32.name());
            info.put("shape", e.shape);
            info.put("data_offsets", new long[] {offset, offset + bytes});
            root.put(name, info);
            offset += bytes;
        }
        byte[] json = Json.write(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("cannot write safetensors file " + file + ": the header would be "
                    + padded + " bytes, more than the " + MAX_HEADER_BYTES + " that readers accept (too many tensors)");
        }
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void requireWellFormed(Path file, String what, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("cannot write safetensors file " + file + ": " + what + " '" + s
                        + "' contains a lone UTF-16 surrogate, which UTF-8 cannot encode");
            }
        }
    }

    // ---------------------------------------------------------------- reading

    /** Reads and validates the header only: names, dtypes, shapes, metadata. Cheap even for huge files. */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, ch);
        }
    }

    /** Reads the whole file: metadata and every tensor, converted to float (see the class comment). */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, ch);
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            Map<String, NamedArray> tensors = new LinkedHashMap<>();
            for (TensorInfo t : header.tensors()) {
                tensors.put(t.name(), new NamedArray(t.name(), t.shape, readValues(file, ch, header, t, chunk)));
            }
            return new Contents(header, tensors);
        }
    }

    /** Reads one tensor, converted to float; the error for a missing name lists the names there are. */
    public static NamedArray readTensor(Path file, String name) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, ch);
            TensorInfo t;
            try {
                t = header.tensor(name);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            ByteBuffer chunk = ByteBuffer.allocateDirect((int) Math.min(CHUNK, Math.max(8, (t.end() - t.begin() + 7) & ~7L)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            return new NamedArray(t.name(), t.shape, readValues(file, ch, header, t, chunk));
        }
    }

    private static Header readHeader(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer first = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        int got = readAt(ch, first, 0);
        if (size < 8 || got < 8) {
            throw bad(file, "file is only " + Math.min(size, got) + (Math.min(size, got) == 1 ? " byte" : " bytes")
                    + " long, but a safetensors file starts with an 8-byte header length");
        }
        long n = first.getLong(0);
        long after = size - 8;
        if (n < 0 || n > after) {
            String detail = "the header length field says " + Long.toUnsignedString(n) + " bytes of header follow, "
                    + "but the file has only " + after + " bytes after it";
            String kind = otherKind(first.array());
            throw bad(file, kind != null ? "not a safetensors file: " + kind + " (" + detail + ")"
                                         : "file is truncated or not a safetensors file: " + detail);
        }
        if (n > MAX_HEADER_BYTES) {
            throw bad(file, "the header is " + n + " bytes, more than the " + MAX_HEADER_BYTES
                    + " bytes safetensors readers accept");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        if (readAt(ch, hb, 8) < n) {
            throw bad(file, "file is truncated inside its " + n + "-byte header");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(hb.flip()).toString();
        } catch (CharacterCodingException e) {
            throw bad(file, "the header is not valid UTF-8 text", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.SyntaxException e) {
            if (e.duplicateKey() != null) {
                throw bad(file, "the header lists the name '" + e.duplicateKey() + "' twice", e);
            }
            throw bad(file, "the header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw bad(file, "the header must be a JSON object, found " + describe(parsed));
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                readMetadata(file, e.getValue(), metadata);
            } else {
                tensors.add(tensorInfo(file, name, e.getValue()));
            }
        }

        // The tensors must tile the data section: sorted by offset, each starts where the previous ends.
        tensors.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expected = 0;
        TensorInfo previous = null;
        for (TensorInfo t : tensors) {
            if (t.begin() < expected) {
                throw bad(file, "tensors '" + previous.name() + "' (bytes " + previous.begin() + ".." + previous.end()
                        + ") and '" + t.name() + "' (bytes " + t.begin() + ".." + t.end() + ") overlap in the data section");
            }
            if (t.begin() > expected) {
                throw bad(file, "bytes " + expected + ".." + t.begin() + " of the data section belong to no tensor (they come "
                        + (previous == null ? "before the first tensor, '" + t.name() + "'"
                                            : "between '" + previous.name() + "' and '" + t.name() + "'") + ")");
            }
            expected = t.end();
            previous = t;
        }
        long dataStart = 8 + n;
        long dataLength = size - dataStart;
        if (expected > dataLength) {
            for (TensorInfo t : tensors) {
                if (t.end() > dataLength) {
                    throw bad(file, "file is truncated: tensor '" + t.name() + "' needs bytes " + t.begin() + ".." + t.end()
                            + " of the data section but the file ends at " + dataLength + " (the data section starts at byte "
                            + dataStart + " of this " + size + "-byte file)");
                }
            }
        }
        if (expected < dataLength) {
            throw bad(file, (dataLength - expected) + " bytes follow the end of the last tensor's data (the data section has "
                    + dataLength + " bytes but the header accounts for " + expected + ")");
        }
        return new Header(metadata, tensors, dataStart);
    }

    private static void readMetadata(Path file, Object value, Map<String, String> into) throws FileFormatException {
        if (value == null) {
            return;
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw bad(file, "'" + METADATA_KEY + "' must be an object mapping strings to strings, found " + describe(value));
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw bad(file, "'" + METADATA_KEY + "' must map strings to strings, but '" + e.getKey() + "' is "
                        + describe(e.getValue()));
            }
            into.put((String) e.getKey(), s);
        }
    }

    private static TensorInfo tensorInfo(Path file, String name, Object value) throws FileFormatException {
        String where = "tensor '" + name + "'";
        if (!(value instanceof Map<?, ?> m)) {
            throw bad(file, where + " must be described by an object with dtype, shape and data_offsets, found "
                    + describe(value));
        }
        for (Object key : m.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw bad(file, where + " has an unexpected key '" + key + "' (expected exactly dtype, shape and data_offsets)");
            }
        }
        for (String key : List.of("dtype", "shape", "data_offsets")) {
            if (!m.containsKey(key)) {
                throw bad(file, where + " has no '" + key + "'");
            }
        }
        if (!(m.get("dtype") instanceof String dtypeName)) {
            throw bad(file, where + ": dtype must be a string, found " + describe(m.get("dtype")));
        }
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(dtypeName);
        } catch (IllegalArgumentException e) {
            throw bad(file, where + " has dtype '" + dtypeName + "', which vectorgrad cannot read (it reads "
                    + Dtype.supportedList() + ")");
        }
        long[] shapeLongs = nonNegativeInts(file, where, "shape", m.get("shape"), Integer.MAX_VALUE);
        int[] shape = new int[shapeLongs.length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (int) shapeLongs[i];
        }
        long[] offsets = nonNegativeInts(file, where, "data_offsets", m.get("data_offsets"), Long.MAX_VALUE);
        if (offsets.length != 2) {
            throw bad(file, where + ": data_offsets must be [begin, end], found " + Json.write(m.get("data_offsets")));
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw bad(file, where + ": data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        long bytes;
        try {
            long numel = 1;
            for (int d : shape) {
                numel = Math.multiplyExact(numel, d);
            }
            bytes = Math.multiplyExact(numel, dtype.size());
        } catch (ArithmeticException e) {
            throw bad(file, where + " has shape " + NamedArray.shapeString(shape) + ", too large to be real");
        }
        if (end - begin != bytes) {
            throw bad(file, where + " has shape " + NamedArray.shapeString(shape) + " of " + dtype + ", which needs "
                    + bytes + " bytes, but its data_offsets [" + begin + ", " + end + "] span " + (end - begin) + " bytes");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] nonNegativeInts(Path file, String where, String key, Object value, long max)
            throws FileFormatException {
        if (value instanceof List<?> list) {
            long[] out = new long[list.size()];
            boolean ok = true;
            for (int i = 0; i < out.length && ok; i++) {
                if (list.get(i) instanceof Long l && l >= 0 && l <= max) {
                    out[i] = l;
                } else {
                    ok = false;
                }
            }
            if (ok) {
                return out;
            }
        }
        String text = value instanceof List<?> ? Json.write(value) : describe(value);
        throw bad(file, where + ": " + key + " must be a list of integers from 0 to " + max + ", found " + text);
    }

    private static float[] readValues(Path file, FileChannel ch, Header header, TensorInfo t, ByteBuffer chunk)
            throws IOException {
        long numel = t.numel();
        if (numel > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": tensor '" + t.name() + "' has " + numel
                    + " elements, more than a Java float array can hold");
        }
        float[] out = new float[(int) numel];
        int size = t.dtype().size();
        int perChunk = chunk.capacity() / size; // capacity is a multiple of 8, so of every element size
        long position = header.dataStart() + t.begin();
        int done = 0;
        while (done < out.length) {
            int k = Math.min(perChunk, out.length - done);
            chunk.clear().limit(k * size);
            if (readAt(ch, chunk, position) < k * size) {
                throw bad(file, "file is truncated: tensor '" + t.name() + "' ends at byte " + (header.dataStart() + t.end())
                        + " of the file but the file now ends sooner (was it changed while being read?)");
            }
            chunk.flip();
            convert(t.dtype(), chunk, out, done, k);
            position += (long) k * size;
            done += k;
        }
        return out;
    }

    private static void convert(Dtype dtype, ByteBuffer in, float[] out, int off, int k) {
        switch (dtype) {
            case F32 -> in.asFloatBuffer().get(out, off, k);
            case F64 -> {
                DoubleBuffer b = in.asDoubleBuffer();
                for (int i = 0; i < k; i++) {
                    out[off + i] = (float) b.get(i);
                }
            }
            case F16 -> {
                ShortBuffer b = in.asShortBuffer();
                for (int i = 0; i < k; i++) {
                    out[off + i] = Float.float16ToFloat(b.get(i));
                }
            }
            case BF16 -> {
                ShortBuffer b = in.asShortBuffer();
                for (int i = 0; i < k; i++) {
                    out[off + i] = Float.intBitsToFloat((b.get(i) & 0xFFFF) << 16);
                }
            }
            case I64 -> {
                LongBuffer b = in.asLongBuffer();
                for (int i = 0; i < k; i++) {
                    out[off + i] = (float) b.get(i);
                }
            }
            case U64 -> {
                LongBuffer b = in.asLongBuffer();
                for (int i = 0; i < k; i++) {
                    out[off + i] = unsignedLongToFloat(b.get(i));
                }
            }
            case I32 -> {
                IntBuffer b = in.asIntBuffer();
                for (int i = 0; i < k; i++) {
                    out[off + i] = (float) b.get(i);
                }
            }
            case U32 -> {
                IntBuffer b = in.asIntBuffer();
                for (int i = 0; i < k; i++) {
                    out[off + i] = (float) (b.get(i) & 0xFFFF_FFFFL);
                }
            }
            case I16 -> {
                ShortBuffer b = in.asShortBuffer();
                for (int i = 0; i < k; i++) {
                    out[off + i] = b.get(i);
                }
            }
            case U16 -> {
                ShortBuffer b = in.asShortBuffer();
                for (int i = 0; i < k; i++) {
                    out[off + i] = b.get(i) & 0xFFFF;
                }
            }
            case I8 -> {
                for (int i = 0; i < k; i++) {
                    out[off + i] = in.get(i);
                }
            }
            case U8 -> {
                for (int i = 0; i < k; i++) {
                    out[off + i] = in.get(i) & 0xFF;
                }
            }
            case BOOL -> {
                for (int i = 0; i < k; i++) {
                    out[off + i] = in.get(i) != 0 ? 1f : 0f;
                }
            }
        }
    }

    /** Nearest float to an unsigned 64-bit value (halving with a sticky bit keeps the rounding exact). */
    static float unsignedLongToFloat(long v) {
        if (v >= 0) {
            return (float) v;
        }
        return (float) ((v >>> 1) | (v & 1)) * 2f;
    }

    /** Reads until {@code buf} is full or the file ends; returns how many bytes were read. */
    private static int readAt(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position + total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    /** A guess at what a file that is not safetensors is, from its first 8 bytes; null when there is none. */
    private static String otherKind(byte[] b) {
        if (b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4) {
            return "it looks like a zip archive, for instance a PyTorch .pt/.pth checkpoint; safetensors files are not zipped";
        }
        if ((b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B) {
            return "it looks like a gzip-compressed file; decompress it first";
        }
        if ((b[0] & 0xFF) == 0x80 && b[1] >= 2 && b[1] <= 5) {
            return "it looks like a Python pickle, for instance an old PyTorch checkpoint";
        }
        if (b[0] == 0 && b[1] == 0 && b[2] >= 0x08 && b[2] <= 0x0E) {
            return "it looks like an IDX file, as used by MNIST; read it with dev.vectorgrad.data.Idx";
        }
        return null;
    }

    private static String describeNames(List<String> names) {
        if (names.isEmpty()) {
            return "no tensors";
        }
        int show = Math.min(names.size(), 20);
        String list = names.subList(0, show).stream().map(s -> "'" + s + "'").collect(Collectors.joining(", "));
        return names.size() + " tensor" + (names.size() == 1 ? "" : "s") + ": " + list
                + (show < names.size() ? ", ..." : "");
    }

    private static String describe(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "the string \"" + s + "\"";
            case Boolean b -> b.toString();
            case Number x -> "the number " + x;
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> v.toString();
        };
    }

    private static FileFormatException bad(Path file, String problem) {
        return new FileFormatException(file, problem);
    }

    private static FileFormatException bad(Path file, String problem, Throwable cause) {
        return new FileFormatException(file, problem, cause);
    }
}
