package dev.vectorgrad.io;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.Layout;
import dev.vectorgrad.nn.Module;
import dev.vectorgrad.nn.StateDictException;
import dev.vectorgrad.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Saves and loads tensors and model state as safetensors files, the format PyTorch, numpy and the
 * Hugging Face tools read (see {@link SafeTensors} for the layout).
 *
 * <pre>{@code
 * Checkpoints.save(model, "lenet.safetensors");           // parameters and buffers, by full name
 * var fresh = new Sequential(...same layers...);
 * Checkpoints.load(fresh, "lenet.safetensors");           // checks every name and shape first
 *
 * Map<String, Tensor> state = Checkpoints.load("lenet.safetensors");   // name -> tensor, file order
 * Checkpoints.saveTensor(x, "x.safetensors");
 * Tensor y = Checkpoints.loadTensor("x.safetensors");
 * }</pre>
 *
 * <h2>What a file holds</h2>
 * One F32 tensor per {@link Module#stateDict()} entry, named as PyTorch names them ({@code 0.weight},
 * {@code 1.running_mean}) and in the model's order, so {@code torch.nn.Module.load_state_dict} takes
 * them as they are. The header's {@code __metadata__} records:
 * <ul>
 *   <li>{@code format}: {@code pt}, the marker the Hugging Face tools expect for tensors laid out as
 *       PyTorch lays them out;</li>
 *   <li>{@value #FORMAT_KEY}: the checkpoint format version, {@value #FORMAT_VERSION};</li>
 *   <li>{@value #VERSION_KEY}: the vectorgrad version that wrote the file;</li>
 *   <li>{@value #MODEL_KEY}: for a model, its architecture ({@code model.toString()}), so that a file
 *       that does not fit a model can say what it was saved from;</li>
 *   <li>any metadata the caller adds (strings, under keys of its own).</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Saving is atomic: the file is written next to the target and renamed over it when complete,
 *       so an existing checkpoint is replaced only by a complete new one, and a failed save leaves it
 *       as it was, with no temporary file behind (see {@link AtomicFiles}). Tensors are read one at a
 *       time (through {@link Tensor#toArray()}, so tensors on a device are fetched to the host), and
 *       only one tensor's values are copied at once.</li>
 *   <li>Loading reads and checks the whole file before anything else happens: a truncated or corrupt
 *       file is a {@link FileFormatException} naming the file and the problem, a file written in a
 *       newer checkpoint format says so, and a model is changed only when the file fits it (every
 *       missing, unexpected and mis-shaped tensor is listed in one
 *       {@link CheckpointMismatchException}).</li>
 *   <li>Files written by other tools (without vectorgrad's metadata) load as well; tensors of other
 *       dtypes are converted to float32 as described in {@link SafeTensors}.</li>
 * </ul>
 */
public final class Checkpoints {

    /** Metadata key of the checkpoint format version. */
    public static final String FORMAT_KEY = "vectorgrad.format";

    /** Metadata key of the vectorgrad version that wrote the file. */
    public static final String VERSION_KEY = "vectorgrad.version";

    /** Metadata key of the saved model's architecture, its {@code toString()}. */
    public static final String MODEL_KEY = "vectorgrad.model";

    /** Metadata key the Hugging Face tools read to learn the tensor layout convention; always {@code pt}. */
    public static final String LAYOUT_KEY = "format";

    /** The checkpoint format this version writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    /** The name under which {@link #saveTensor} stores its tensor. */
    public static final String TENSOR_NAME = "tensor";

    private static final String POM_PROPERTIES = "/META-INF/maven/dev.vectorgrad/vectorgrad-engine/pom.properties";
    private static final int MAX_ARCHITECTURE_LINES = 60;

    private static volatile String version;

    private Checkpoints() {
    }

    /**
     * What loading a checkpoint into a model did not use or did not find. Both lists are empty after a
     * strict load, which fails rather than leave either non-empty.
     *
     * @param file           the checkpoint
     * @param missingKeys    names the model has and the file lacks; those tensors kept their values
     * @param unexpectedKeys names the file has and the model does not know; they were ignored
     * @param metadata       the file's metadata (empty for a file without any)
     */
    public record LoadResult(Path file, List<String> missingKeys, List<String> unexpectedKeys,
                             Map<String, String> metadata) {
        public LoadResult {
            missingKeys = List.copyOf(missingKeys);
            unexpectedKeys = List.copyOf(unexpectedKeys);
            metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** True when every tensor of the model was loaded and every tensor of the file was used. */
        public boolean allKeysMatched() {
            return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
        }

        @Override
        public String toString() {
            if (allKeysMatched()) {
                return "All keys matched successfully";
            }
            List<String> parts = new ArrayList<>();
            if (!missingKeys.isEmpty()) {
                parts.add("missing keys (" + missingKeys.size() + "): " + String.join(", ", missingKeys));
            }
            if (!unexpectedKeys.isEmpty()) {
                parts.add("unexpected keys (" + unexpectedKeys.size() + "): " + String.join(", ", unexpectedKeys));
            }
            return String.join("; ", parts);
        }
    }

    // ================================================================ saving

    /** {@link #save(Module, Path)} with a file name. */
    public static void save(Module model, String file) throws IOException {
        save(model, Path.of(file));
    }

    /**
     * Writes the model's {@link Module#stateDict() state} (parameters and buffers) to {@code file},
     * atomically, with the metadata described in the class comment.
     */
    public static void save(Module model, Path file) throws IOException {
        save(model, file, Map.of());
    }

    /**
     * {@link #save(Module, Path)} with metadata of the caller's own (an epoch number, a note), stored as
     * strings. Its keys must not be {@value #LAYOUT_KEY} or start with {@code vectorgrad.}.
     */
    public static void save(Module model, Path file, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(model, "save: model is null");
        Objects.requireNonNull(file, "save: file is null");
        write(file, model.stateDict(), metadata, model.toString());
    }

    /** {@link #save(Map, Path)} with a file name. */
    public static void save(Map<String, Tensor> tensors, String file) throws IOException {
        save(tensors, Path.of(file));
    }

    /** Writes named tensors to {@code file}, atomically, in the map's order. */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, file, Map.of());
    }

    /** {@link #save(Map, Path)} with metadata of the caller's own (see {@link #save(Module, Path, Map)}). */
    public static void save(Map<String, Tensor> tensors, Path file, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(tensors, "save: tensors is null");
        Objects.requireNonNull(file, "save: file is null");
        write(file, tensors, metadata, null);
    }

    /** {@link #saveTensor(Tensor, Path)} with a file name. */
    public static void saveTensor(Tensor tensor, String file) throws IOException {
        saveTensor(tensor, Path.of(file));
    }

    /** Writes one tensor to {@code file} under the name {@value #TENSOR_NAME}, atomically. */
    public static void saveTensor(Tensor tensor, Path file) throws IOException {
        Objects.requireNonNull(tensor, "saveTensor: tensor is null");
        Objects.requireNonNull(file, "saveTensor: file is null");
        write(file, Map.of(TENSOR_NAME, tensor), Map.of(), null);
    }

    private static void write(Path file, Map<String, Tensor> tensors, Map<String, String> extra, String architecture)
            throws IOException {
        Objects.requireNonNull(extra, "save: metadata is null");
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(LAYOUT_KEY, "pt");
        metadata.put(FORMAT_KEY, Integer.toString(FORMAT_VERSION));
        metadata.put(VERSION_KEY, version());
        if (architecture != null) {
            metadata.put(MODEL_KEY, architecture);
        }
        for (Map.Entry<String, String> m : extra.entrySet()) {
            String key = m.getKey();
            if (key == null || m.getValue() == null) {
                throw new IllegalArgumentException("cannot save " + file + ": metadata keys and values must not be null ("
                        + key + " = " + m.getValue() + "); nothing was written");
            }
            if (key.equals(LAYOUT_KEY) || key.startsWith("vectorgrad.")) {
                throw new IllegalArgumentException("cannot save " + file + ": the metadata key '" + key
                        + "' is reserved for vectorgrad's own metadata; choose another; nothing was written");
            }
            metadata.put(key, m.getValue());
        }
        List<SafeTensors.Entry> entries = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || t == null) {
                throw new IllegalArgumentException("cannot save " + file + ": "
                        + (name == null ? "a tensor has a null name" : "tensor '" + name + "' is null")
                        + "; nothing was written");
            }
            entries.add(new SafeTensors.Entry(name, t.shape(), t::toArray));
        }
        SafeTensors.writeStreaming(file, entries, metadata);
    }

    // ================================================================ loading

    /** {@link #load(Path)} with a file name. */
    public static Map<String, Tensor> load(String file) throws IOException {
        return load(Path.of(file));
    }

    /**
     * Every tensor of a safetensors file, by name, in the order of the file's data (for files written
     * here, the order they were saved in). The tensors are new, on the current backend.
     */
    public static Map<String, Tensor> load(Path file) throws IOException {
        return tensors(read(file));
    }

    /** {@link #load(Module, Path)} with a file name. */
    public static LoadResult load(Module model, String file) throws IOException {
        return load(model, Path.of(file));
    }

    /**
     * Loads a checkpoint into {@code model}, strictly: the file must hold exactly the model's
     * {@link Module#stateDict()} names with the same shapes. Otherwise a
     * {@link CheckpointMismatchException} lists every problem and the model is not changed.
     */
    public static LoadResult load(Module model, Path file) throws IOException {
        return load(model, file, true);
    }

    /** {@link #load(Module, Path, boolean)} with a file name. */
    public static LoadResult load(Module model, String file, boolean strict) throws IOException {
        return load(model, Path.of(file), strict);
    }

    /**
     * Loads a checkpoint into {@code model}. Strict loading fails on any missing or unexpected name; with
     * {@code strict} false the tensors whose names match are loaded, the others are left as they are,
     * and the result lists both kinds. A shape mismatch fails either way (as in PyTorch). On failure the
     * model is not changed: everything is read and checked before the first value is copied.
     *
     * @throws CheckpointMismatchException if the file does not fit the model; its message names the file
     *                                     and lists every problem, and shows both architectures when
     *                                     the file records one that differs from the model's
     * @throws FileFormatException         if the file is truncated, corrupt, or of a newer format
     */
    public static LoadResult load(Module model, Path file, boolean strict) throws IOException {
        Objects.requireNonNull(model, "load: model is null");
        SafeTensors.Contents contents = read(file);
        Map<String, Tensor> state = tensors(contents);
        Map<String, String> metadata = contents.metadata();
        try {
            model.loadStateDict(state, true);
            return new LoadResult(file, List.of(), List.of(), metadata);
        } catch (StateDictException strictProblems) {
            if (strict) {
                throw mismatch(file, model, metadata, strictProblems);
            }
            try {
                model.loadStateDict(state, false);
            } catch (StateDictException shapeProblems) {
                throw mismatch(file, model, metadata, shapeProblems);
            }
            return new LoadResult(file, strictProblems.missingKeys(), strictProblems.unexpectedKeys(), metadata);
        }
    }

    /** {@link #loadTensor(Path)} with a file name. */
    public static Tensor loadTensor(String file) throws IOException {
        return loadTensor(Path.of(file));
    }

    /**
     * The tensor saved by {@link #saveTensor}: the one named {@value #TENSOR_NAME}, or the only tensor of
     * a file that holds just one. Only that tensor's data is read.
     *
     * @throws FileFormatException if the file holds several tensors, none of them named {@value #TENSOR_NAME}
     *                             (the message lists them), or none at all
     */
    public static Tensor loadTensor(Path file) throws IOException {
        SafeTensors.Header header = readHeader(file);
        List<String> names = header.names();
        String name;
        if (names.contains(TENSOR_NAME)) {
            name = TENSOR_NAME;
        } else if (names.size() == 1) {
            name = names.get(0);
        } else if (names.isEmpty()) {
            throw new FileFormatException(file, "the file holds no tensor");
        } else {
            throw new FileFormatException(file, "the file holds " + names.size() + " tensors (" + list(names, 20)
                    + ") and none is named '" + TENSOR_NAME + "'; load them all with Checkpoints.load(file)"
                    + " and pick one by name");
        }
        return tensor(SafeTensors.readTensor(file, name));
    }

    /**
     * The metadata of a checkpoint (see the class comment), reading only the header: which vectorgrad
     * wrote it, the architecture it was saved from, and what the caller stored. Empty for a file without
     * metadata.
     */
    public static Map<String, String> metadata(Path file) throws IOException {
        return readHeader(file).metadata();
    }

    /** {@link #metadata(Path)} with a file name. */
    public static Map<String, String> metadata(String file) throws IOException {
        return metadata(Path.of(file));
    }

    /**
     * The vectorgrad version recorded in files written here: the engine jar's version, or
     * {@code unknown} when the engine runs from a class directory rather than a packaged jar.
     */
    public static String version() {
        String v = version;
        if (v == null) {
            v = findVersion();
            version = v;
        }
        return v;
    }

    // ================================================================ internals

    private static SafeTensors.Contents read(Path file) throws IOException {
        Objects.requireNonNull(file, "load: file is null");
        requireFile(file);
        SafeTensors.Contents contents;
        try {
            contents = SafeTensors.read(file);
        } catch (FileFormatException e) {
            throw newerFormatOr(file, e);
        }
        checkFormat(file, contents.metadata());
        return contents;
    }

    private static SafeTensors.Header readHeader(Path file) throws IOException {
        Objects.requireNonNull(file, "load: file is null");
        requireFile(file);
        SafeTensors.Header header;
        try {
            header = SafeTensors.readHeader(file);
        } catch (FileFormatException e) {
            throw newerFormatOr(file, e);
        }
        checkFormat(file, header.metadata());
        return header;
    }

    /** A missing file or a directory named plainly, rather than by the bare path the JDK reports. */
    private static void requireFile(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a checkpoint file");
        }
        if (!Files.exists(file)) {
            Path dir = file.toAbsolutePath().getParent();
            String reason = dir != null && !Files.isDirectory(dir)
                    ? "no such file (the directory " + dir + " does not exist)"
                    : "no such file";
            throw new NoSuchFileException(file.toString(), null, reason);
        }
    }

    private static void checkFormat(Path file, Map<String, String> metadata) throws FileFormatException {
        String format = metadata.get(FORMAT_KEY);
        if (format == null || format.equals(Integer.toString(FORMAT_VERSION))) {
            return; // a file of another tool, or ours
        }
        throw new FileFormatException(file, formatProblem(format, metadata.get(VERSION_KEY)));
    }

    private static String formatProblem(String format, String writer) {
        String by = writer == null ? "" : " by vectorgrad " + writer;
        try {
            if (Integer.parseInt(format.strip()) > FORMAT_VERSION) {
                return "the checkpoint was written" + by + " in checkpoint format " + format.strip()
                        + ", but this vectorgrad (" + version() + ") reads format " + FORMAT_VERSION
                        + " and older; upgrade vectorgrad to load it";
            }
        } catch (NumberFormatException ignored) {
            // not a number: reported below
        }
        return "the checkpoint records format '" + format + "' under " + FORMAT_KEY + by
                + ", which no vectorgrad writes (this one reads format " + FORMAT_VERSION + ")";
    }

    /**
     * A file that fails the structural checks may be of a newer format that this version cannot parse;
     * if its header still says so, that is the clearer message, with the structural problem as cause.
     */
    private static IOException newerFormatOr(Path file, FileFormatException e) {
        String format = peekFormat(file);
        if (format != null && !format.equals(Integer.toString(FORMAT_VERSION))) {
            return new FileFormatException(file, formatProblem(format, null) + " (" + e.problem() + ")", e);
        }
        return e;
    }

    /** The format version in a header too broken for {@link SafeTensors} to accept, or null. */
    private static String peekFormat(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer first = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            if (ch.read(first, 0) < 8) {
                return null;
            }
            long n = first.getLong(0);
            if (n <= 0 || n > SafeTensors.MAX_HEADER_BYTES || n > ch.size() - 8) {
                return null;
            }
            ByteBuffer header = ByteBuffer.allocate((int) n);
            while (header.hasRemaining() && ch.read(header, 8 + header.position()) >= 0) {
                // read until full or end of file
            }
            Object root = Json.parse(new String(header.array(), 0, header.position(), StandardCharsets.UTF_8));
            if (root instanceof Map<?, ?> r && r.get(SafeTensors.METADATA_KEY) instanceof Map<?, ?> meta
                    && meta.get(FORMAT_KEY) instanceof String s) {
                return s;
            }
            return null;
        } catch (IOException | RuntimeException ignored) {
            return null;
        }
    }

    private static CheckpointMismatchException mismatch(Path file, Module model, Map<String, String> metadata,
                                                        StateDictException problems) {
        List<String> missing = problems.missingKeys();
        List<String> unexpected = problems.unexpectedKeys();
        List<String> shapes = problems.shapeMismatches();
        int n = missing.size() + unexpected.size() + shapes.size();
        StringBuilder sb = new StringBuilder().append(file).append(" does not fit this ").append(model.typeName())
                .append(" (").append(n).append(n == 1 ? " problem" : " problems")
                .append("); the model was not changed:");
        if (!missing.isEmpty()) {
            sb.append("\n  missing keys, in the model but not in the file (").append(missing.size()).append("): ")
                    .append(String.join(", ", missing));
        }
        if (!unexpected.isEmpty()) {
            sb.append("\n  unexpected keys, in the file but not in the model (").append(unexpected.size())
                    .append("): ").append(String.join(", ", unexpected));
        }
        if (!shapes.isEmpty()) {
            sb.append("\n  shape mismatches (").append(shapes.size()).append("):");
            for (String s : shapes) {
                sb.append("\n    ").append(s);
            }
        }
        String saved = metadata.get(MODEL_KEY);
        String current = model.toString();
        if (saved != null && !saved.strip().equals(current.strip())) {
            sb.append("\n  the file was saved from a different architecture:")
                    .append("\n  in the file:\n").append(indent(saved))
                    .append("\n  this model:\n").append(indent(current));
        }
        if (shapes.isEmpty()) {
            sb.append("\n  (to load the tensors whose names match and skip the others, use"
                    + " Checkpoints.load(model, file, false))");
        }
        return new CheckpointMismatchException(sb.toString(), file, problems, saved, current);
    }

    private static String indent(String text) {
        List<String> lines = Arrays.asList(text.strip().split("\n", -1));
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(lines.size(), MAX_ARCHITECTURE_LINES);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : "\n").append("    ").append(lines.get(i));
        }
        if (shown < lines.size()) {
            sb.append("\n    ... (").append(lines.size() - shown).append(" more lines)");
        }
        return sb.toString();
    }

    private static String list(List<String> names, int max) {
        if (names.size() <= max) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, max)) + ", ... (" + (names.size() - max) + " more)";
    }

    private static Map<String, Tensor> tensors(SafeTensors.Contents contents) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (NamedArray a : contents.tensors().values()) {
            out.put(a.name(), tensor(a));
        }
        return out;
    }

    /** A tensor on the current backend that takes the freshly read array over rather than copying it. */
    private static Tensor tensor(NamedArray a) {
        Backend b = Backends.current();
        return Tensor.wrap(b.fromArray(a.data()), Layout.contiguous(a.shape()), b);
    }

    private static String findVersion() {
        String v = Checkpoints.class.getPackage() == null ? null
                : Checkpoints.class.getPackage().getImplementationVersion();
        if (v != null && !v.isBlank()) {
            return v.strip();
        }
        try (InputStream in = Checkpoints.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v.strip();
                }
            }
        } catch (IOException | IllegalArgumentException ignored) {
            // fall through: the version is unknown, which the file then says
        }
        return "unknown";
    }
}
