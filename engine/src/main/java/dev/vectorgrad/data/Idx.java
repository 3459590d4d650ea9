package dev.vectorgrad.data;

import dev.vectorgrad.io.AtomicFiles;
import dev.vectorgrad.io.FileFormatException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files, the format of MNIST and Fashion-MNIST
 * ({@code train-images-idx3-ubyte.gz} and friends).
 *
 * <h2>Format</h2>
 * <pre>
 *   2 bytes   0x00 0x00
 *   1 byte    element type: 0x08 unsigned byte, 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double
 *   1 byte    number of dimensions, d
 *   4d bytes  the dimensions, big-endian int32, outermost first
 *   rest      the elements, big-endian, row-major
 * </pre>
 * The whole file may be gzip-compressed; that is recognised by its first two bytes (0x1F 0x8B),
 * not by the file name, so both {@code train-images-idx3-ubyte} and {@code train-images-idx3-ubyte.gz}
 * read the same way whatever they are called.
 *
 * <h2>Checks</h2>
 * Everything the header promises is verified and a broken file raises a
 * {@link FileFormatException} naming the file and the problem: wrong magic, unknown type, no
 * dimensions, a dimension below 1, less data than the dimensions need (truncated), <em>more</em> data
 * than they need (trailing bytes are an error, not ignored: they mean the header and the data
 * disagree), a corrupt or cut-off gzip stream. (Bytes after the end of a complete gzip stream
 * that do not start another gzip member are ignored, as gzip tools do.)
 *
 * <h2>Memory</h2>
 * Unsigned-byte data (MNIST's) is read straight into the {@code byte[]} kept by the {@link IdxArray}:
 * reading the 60,000 training images needs their 47 MB and no more. Other element types briefly need
 * the raw bytes as well as the decoded array.
 */
public final class Idx {

    private static final int CHUNK = 1 << 20;
    /** Compressed files cannot announce their size, so a buffer for them starts at most this big and grows. */
    private static final int GZIP_INITIAL_LIMIT = 256 << 20;

    private Idx() {
    }

    /** Reads an IDX file, raw or gzip-compressed, of any element type and rank. */
    public static IdxArray read(Path file) throws IOException {
        long fileSize = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1F && b1 == 0x8B;
            if (!gzip) {
                return readIdx(file, raw, fileSize, false);
            }
            try (InputStream in = new GZIPInputStream(raw, 1 << 16)) {
                try {
                    return readIdx(file, in, -1, true);
                } catch (FileFormatException e) {
                    // Damage inside a compressed stream can decode to a plausible-looking but wrong
                    // header; if the stream's own checksum fails, that is the real diagnosis.
                    try {
                        in.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException streamProblem) {
                        streamProblem.addSuppressed(e);
                        throw streamProblem;
                    }
                    throw e;
                }
            } catch (ZipException e) {
                throw new FileFormatException(file, "the gzip stream is corrupt (" + e.getMessage() + ")", e);
            } catch (EOFException e) {
                throw new FileFormatException(file, "the gzip stream is truncated: the compressed file ends before its data "
                        + "does (an incomplete download?)", e);
            }
        }
    }

    /**
     * Reads an images file: three dimensions, (count, rows, cols), as in
     * {@code train-images-idx3-ubyte.gz}. The values stay in the file's type (unsigned bytes for MNIST).
     */
    public static IdxArray readImages(Path file) throws IOException {
        IdxArray a = read(file);
        if (a.rank() != 3) {
            throw new FileFormatException(file, "expected images, 3 dimensions (count x rows x cols), but the file has "
                    + a.rank() + " (" + IdxArray.dimsString(a.dims()) + ")"
                    + (a.rank() == 1 ? "; this looks like a labels file" : ""));
        }
        return a;
    }

    /** Reads a labels file: one dimension of integers, as in {@code train-labels-idx1-ubyte.gz}. */
    public static int[] readLabels(Path file) throws IOException {
        IdxArray a = read(file);
        if (a.rank() != 1) {
            throw new FileFormatException(file, "expected labels, 1 dimension, but the file has " + a.rank() + " ("
                    + IdxArray.dimsString(a.dims()) + ")" + (a.rank() == 3 ? "; this looks like an images file" : ""));
        }
        try {
            return a.toInts();
        } catch (IllegalStateException e) {
            throw new FileFormatException(file, e.getMessage(), e);
        }
    }

    /** Writes an IDX file atomically, gzip-compressed when the file name ends with {@code .gz}. */
    public static void write(Path file, IdxArray array) throws IOException {
        Path name = file.getFileName();
        write(file, array, name != null && name.toString().endsWith(".gz"));
    }

    /** Writes an IDX file atomically, gzip-compressed or not; an existing file is replaced only when all went well. */
    public static void write(Path file, IdxArray array, boolean gzip) throws IOException {
        AtomicFiles.write(file, out -> {
            if (gzip) {
                GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
                writeIdx(gz, array);
                gz.finish();
            } else {
                writeIdx(out, array);
            }
        });
    }

    private static void writeIdx(OutputStream out, IdxArray a) throws IOException {
        int[] dims = a.dims();
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length).order(ByteOrder.BIG_ENDIAN);
        header.put((byte) 0).put((byte) 0).put((byte) a.type().code()).put((byte) dims.length);
        for (int d : dims) {
            header.putInt(d);
        }
        out.write(header.array());
        if (a.type() == IdxArray.Type.UNSIGNED_BYTE || a.type() == IdxArray.Type.SIGNED_BYTE) {
            out.write(a.bytes());
            return;
        }
        int size = a.type().size();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.BIG_ENDIAN);
        int perChunk = CHUNK / size;
        for (int off = 0; off < a.size(); off += perChunk) {
            int k = Math.min(perChunk, a.size() - off);
            chunk.clear();
            switch (a.type()) {
                case SHORT -> chunk.asShortBuffer().put(a.shorts(), off, k);
                case INT -> chunk.asIntBuffer().put(a.ints(), off, k);
                case FLOAT -> chunk.asFloatBuffer().put(a.floats(), off, k);
                case DOUBLE -> chunk.asDoubleBuffer().put(a.doubles(), off, k);
                default -> throw new AssertionError(a.type());
            }
            out.write(chunk.array(), 0, k * size);
        }
    }

    /**
     * @param fileSize the size of a raw file, so that truncation and trailing bytes are found before
     *                 allocating; -1 for a compressed stream, whose length is only known at its end
     */
    private static IdxArray readIdx(Path file, InputStream in, long fileSize, boolean gzip) throws IOException {
        String source = gzip ? "the decompressed data" : "the file";
        byte[] magic = in.readNBytes(4);
        if (magic.length >= 2 && (magic[0] != 0 || magic[1] != 0)) {
            throw new FileFormatException(file, "not an IDX file: the first two bytes"
                    + (gzip ? " of the decompressed data" : "") + " must be 0, got " + hex(magic[0]) + " " + hex(magic[1]) + otherKindHint(magic));
        }
        if (magic.length < 4) {
            throw new FileFormatException(file, "not an IDX file: " + source + " is only " + magic.length
                    + (magic.length == 1 ? " byte" : " bytes") + " long, too short for the 4-byte IDX magic number");
        }
        IdxArray.Type type = IdxArray.Type.ofCode(magic[2] & 0xFF);
        if (type == null) {
            throw new FileFormatException(file, "unknown IDX element type code " + hex(magic[2]) + " (third byte); known: "
                    + IdxArray.Type.known());
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw new FileFormatException(file, "the IDX header declares 0 dimensions (fourth byte); there must be at least one");
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new FileFormatException(file, "truncated: the header declares " + rank + " dimensions ("
                    + (4 * rank) + " bytes) but " + source + " ends after " + dimBytes.length + " of those bytes");
        }
        ByteBuffer db = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = db.getInt();
            if (dims[i] < 1) {
                throw new FileFormatException(file, "dimension " + (i + 1) + " of " + rank + " in the header is " + dims[i]
                        + "; every dimension must be at least 1");
            }
            count = Math.min(count * dims[i], 1L << 32); // saturates; both factors stay below 2^32
        }
        if (count > IdxArray.MAX_ELEMENTS) {
            throw new FileFormatException(file, "the header declares dimensions " + IdxArray.dimsString(dims)
                    + ", more elements than a Java array can hold (is the header corrupt?)");
        }
        long headerBytes = 4 + 4L * rank;
        long expected = count * type.size();
        String what = describeData(rank);
        if (fileSize >= 0) {
            long found = fileSize - headerBytes;
            if (found < expected) {
                throw truncated(file, expected, what, found, dims, type);
            }
            if (found > expected) {
                throw trailing(file, found - expected, expected, what, dims, type, "the file");
            }
        }
        byte[] bytes = readData(file, in, (int) expected, what, dims, type);
        if (!gzip) {
            if (in.read() != -1) {
                throw new FileFormatException(file, "the file grew while it was being read");
            }
        } else {
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw trailing(file, extra, expected, what, dims, type, "the decompressed data");
            }
        }
        int[] d = dims;
        return switch (type) {
            case UNSIGNED_BYTE -> IdxArray.ofUnsignedBytes(bytes, d);
            case SIGNED_BYTE -> IdxArray.ofSignedBytes(bytes, d);
            case SHORT -> {
                short[] v = new short[(int) count];
                ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asShortBuffer().get(v);
                yield IdxArray.ofShorts(v, d);
            }
            case INT -> {
                int[] v = new int[(int) count];
                ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asIntBuffer().get(v);
                yield IdxArray.ofInts(v, d);
            }
            case FLOAT -> {
                float[] v = new float[(int) count];
                ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(v);
                yield IdxArray.ofFloats(v, d);
            }
            case DOUBLE -> {
                double[] v = new double[(int) count];
                ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asDoubleBuffer().get(v);
                yield IdxArray.ofDoubles(v, d);
            }
        };
    }

    /**
     * Reads exactly {@code expected} bytes. The buffer of a compressed stream starts at a bounded
     * size and grows, so a corrupt header claiming gigabytes cannot force a huge allocation.
     */
    private static byte[] readData(Path file, InputStream in, int expected, String what, int[] dims,
                                   IdxArray.Type type) throws IOException {
        byte[] buf = new byte[Math.min(expected, GZIP_INITIAL_LIMIT)];
        int n = 0;
        while (n < expected) {
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(expected, 2L * buf.length));
            }
            int r = in.read(buf, n, Math.min(buf.length - n, CHUNK));
            if (r < 0) {
                throw truncated(file, expected, what, n, dims, type);
            }
            n += r;
        }
        return buf;
    }

    private static FileFormatException truncated(Path file, long expected, String what, long found, int[] dims,
                                                 IdxArray.Type type) {
        return new FileFormatException(file, "truncated: expected " + expected + " bytes of " + what
                + " after the header (" + IdxArray.dimsString(dims) + " " + type.description() + " values), found "
                + found);
    }

    private static FileFormatException trailing(Path file, long extra, long expected, String what, int[] dims,
                                                IdxArray.Type type, String source) {
        return new FileFormatException(file, extra + " unexpected bytes after the end of the data: the header declares "
                + IdxArray.dimsString(dims) + " " + type.description() + " values (" + expected + " bytes of " + what
                + ") but " + source + " is longer; the header and the data disagree");
    }

    private static String describeData(int rank) {
        return switch (rank) {
            case 1 -> "label data";
            case 3 -> "image data";
            default -> "data";
        };
    }

    private static String otherKindHint(byte[] magic) {
        if (magic.length >= 4 && magic[0] == 'P' && magic[1] == 'K') {
            return " (it looks like a zip archive; unpack it first)";
        }
        if (magic.length >= 2 && magic[0] == '<') {
            return " (it looks like an HTML page, perhaps an error page saved instead of the download)";
        }
        return "";
    }

    private static String hex(byte b) {
        return String.format("0x%02X", b & 0xFF);
    }
}
