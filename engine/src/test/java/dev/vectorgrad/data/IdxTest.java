package dev.vectorgrad.data;

import dev.vectorgrad.io.FileFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ round trips and layout

    @Test
    void everyTypeRoundTripsRawAndCompressed() throws IOException {
        Random r = new Random(5);
        byte[] ub = new byte[2 * 3 * 4];
        r.nextBytes(ub);
        short[] s = {Short.MIN_VALUE, -1, 0, 1, Short.MAX_VALUE, 12345};
        int[] i = {Integer.MIN_VALUE, -1, 0, 7, Integer.MAX_VALUE, 1 << 24};
        float[] f = {Float.NaN, Float.NEGATIVE_INFINITY, -0f, 1.5f, Float.MIN_VALUE, 3e38f};
        double[] d = {Math.PI, -0.0, Double.MAX_VALUE, 1e-300};
        List<IdxArray> arrays = List.of(
                IdxArray.ofUnsignedBytes(ub, 2, 3, 4),
                IdxArray.ofSignedBytes(ub.clone(), 24),
                IdxArray.ofShorts(s, 2, 3),
                IdxArray.ofInts(i, 6),
                IdxArray.ofFloats(f, 3, 1, 2),
                IdxArray.ofDoubles(d, 2, 2));
        for (IdxArray a : arrays) {
            for (String name : new String[] {"a.idx", "a.idx.gz"}) {
                Path file = dir.resolve(a.type() + "-" + name);
                Idx.write(file, a);
                assertEquals(name.endsWith(".gz"), isGzip(file), file.toString());
                IdxArray back = Idx.read(file);
                assertEquals(a, back, file.toString());
                assertEquals(a.type(), back.type());
                assertArrayEquals(a.dims(), back.dims());
            }
        }
    }

    @Test
    void layoutIsBigEndianIdx() throws IOException {
        Path labels = dir.resolve("labels");
        Idx.write(labels, IdxArray.ofUnsignedBytes(new byte[] {1, 2, 9}, 3));
        assertArrayEquals(new byte[] {0, 0, 0x08, 1, 0, 0, 0, 3, 1, 2, 9}, Files.readAllBytes(labels));

        Path shorts = dir.resolve("shorts");
        Idx.write(shorts, IdxArray.ofShorts(new short[] {0x0102, -2}, 1, 2));
        assertArrayEquals(new byte[] {0, 0, 0x0B, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0x01, 0x02, (byte) 0xFF, (byte) 0xFE},
                Files.readAllBytes(shorts));

        Path floats = dir.resolve("floats");
        Idx.write(floats, IdxArray.ofFloats(new float[] {1f}, 1));
        assertArrayEquals(new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 1, 0x3F, (byte) 0x80, 0, 0}, Files.readAllBytes(floats));
    }

    @Test
    void compressionIsDetectedByContentNotByName() throws IOException {
        IdxArray a = IdxArray.ofUnsignedBytes(new byte[] {5, 6, 7, 8}, 2, 2);
        Path gzNoSuffix = dir.resolve("train-images-idx3-ubyte");
        Idx.write(gzNoSuffix, a, true);
        Path rawWithSuffix = dir.resolve("train-images-idx3-ubyte.gz");
        Idx.write(rawWithSuffix, a, false);
        assertTrue(isGzip(gzNoSuffix));
        assertEquals(a, Idx.read(gzNoSuffix));
        assertEquals(a, Idx.read(rawWithSuffix));
    }

    @Test
    void imagesAndLabels() throws IOException {
        byte[] pixels = new byte[3 * 2 * 2];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (k * 23);
        }
        Path images = dir.resolve("images.gz");
        Idx.write(images, IdxArray.ofUnsignedBytes(pixels, 3, 2, 2));
        Path labels = dir.resolve("labels.gz");
        Idx.write(labels, IdxArray.ofUnsignedBytes(new byte[] {9, 0, (byte) 200}, 3));

        IdxArray img = Idx.readImages(images);
        assertArrayEquals(new int[] {3, 2, 2}, img.dims());
        assertEquals(4, img.itemSize());
        assertEquals(253f, img.getFloat(11)); // 11 * 23 = 253: unsigned
        assertArrayEquals(new int[] {9, 0, 200}, Idx.readLabels(labels));

        var e = assertThrows(FileFormatException.class, () -> Idx.readImages(labels));
        assertContains(e.getMessage(), labels.toString(), "expected images", "looks like a labels file");
        var e2 = assertThrows(FileFormatException.class, () -> Idx.readLabels(images));
        assertContains(e2.getMessage(), "expected labels", "looks like an images file");
    }

    @Test
    void conversionToFloatWholeOrOneBatchAtATime() {
        byte[] pixels = {0, (byte) 255, (byte) 128, 1, 2, 3, 4, 5};
        IdxArray a = IdxArray.ofUnsignedBytes(pixels, 2, 2, 2);
        assertArrayEquals(new float[] {0, 255, 128, 1, 2, 3, 4, 5}, a.toFloats());
        float[] scaled = a.toFloats(1f / 255);
        assertEquals(1f, scaled[1]);
        assertEquals(128f / 255, scaled[2], 1e-7);
        float[] batch = new float[6];
        a.toFloats(a.itemSize(), a.itemSize(), 0.5f, batch, 1); // the second image, into a reused buffer
        assertArrayEquals(new float[] {0, 1f, 1.5f, 2f, 2.5f, 0}, batch);
        assertThrows(IndexOutOfBoundsException.class, () -> a.toFloats(6, 4, 1f, batch, 0));
        assertArrayEquals(new float[] {-128, 127}, IdxArray.ofSignedBytes(new byte[] {-128, 127}, 2).toFloats());
        assertArrayEquals(new int[] {3, -4}, IdxArray.ofFloats(new float[] {3, -4}, 2).toInts());
        var e = assertThrows(IllegalStateException.class, () -> IdxArray.ofDoubles(new double[] {1, 2.5}, 2).toInts());
        assertContains(e.getMessage(), "2.5", "not a whole number");
        var raw = assertThrows(IllegalStateException.class, () -> IdxArray.ofInts(new int[] {1}, 1).bytes());
        assertContains(raw.getMessage(), "holds int values", "toFloats()");
    }

    @Test
    void inMemoryArraysAreChecked() {
        var e = assertThrows(IllegalArgumentException.class, () -> IdxArray.ofUnsignedBytes(new byte[5], 2, 3));
        assertContains(e.getMessage(), "2 x 3", "6 elements", "5 values");
        assertThrows(IllegalArgumentException.class, () -> IdxArray.ofUnsignedBytes(new byte[0], 0));
        assertThrows(IllegalArgumentException.class, () -> IdxArray.ofUnsignedBytes(new byte[0]));
    }

    // ------------------------------------------------------------------ corrupt files

    @Test
    void badMagic() throws IOException {
        byte[] good = labelsFile(3);
        byte[] flipped = good.clone();
        flipped[1] = 0x08;
        assertBad(raw("magic", flipped), "not an IDX file: the first two bytes must be 0, got 0x00 0x08");
        assertBad(raw("html", "<!DOCTYPE html>".getBytes()), "not an IDX file", "HTML page");
        assertBad(gz("magic.gz", flipped), "first two bytes of the decompressed data must be 0");
        assertBad(raw("short", new byte[] {0, 0, 8}), "only 3 bytes long");
        assertBad(raw("empty", new byte[0]), "only 0 bytes long");
    }

    @Test
    void unknownTypeCodeOrNoDimensions() throws IOException {
        byte[] f = labelsFile(3);
        f[2] = 0x07;
        assertBad(raw("type", f), "unknown IDX element type code 0x07", "0x08 unsigned byte", "0x0E double");
        byte[] g = labelsFile(3);
        g[3] = 0;
        assertBad(raw("rank0", g), "declares 0 dimensions");
    }

    @Test
    void zeroOrNegativeDimensions() throws IOException {
        assertBad(raw("zero", concat(new byte[] {0, 0, 8, 2}, be32(0), be32(5))), "dimension 1 of 2 in the header is 0");
        assertBad(raw("neg", concat(new byte[] {0, 0, 8, 2}, be32(5), be32(-3))), "dimension 2 of 2 in the header is -3");
        assertBad(raw("huge", concat(new byte[] {0, 0, 8, 3}, be32(65536), be32(65536), be32(2))),
                "more elements than a Java array can hold");
    }

    @Test
    void truncatedImageData() throws IOException {
        byte[] header = concat(new byte[] {0, 0, 8, 3}, be32(60000), be32(28), be32(28));
        byte[] f = concat(header, new byte[1200]);
        assertBad(raw("train-images", f), "truncated: expected 47040000 bytes of image data after the header", "found 1200");
        // the same data gzip-compressed: the stream is complete, the data inside is short
        assertBad(gz("train-images.gz", f), "truncated: expected 47040000 bytes of image data after the header",
                "found 1200");
    }

    @Test
    void aGoodFileCutAnywhereIsRejected() throws IOException {
        byte[] good = imagesFile(4, 3, 5);
        int[] cuts = {1, 3, 4, 5, 8, 11, 15, 16, 17, 30, good.length - 1};
        for (int cut : cuts) {
            byte[] part = Arrays.copyOf(good, cut);
            Path f = raw("cut" + cut, part);
            var e = assertThrows(FileFormatException.class, () -> Idx.read(f), "raw cut at " + cut);
            assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
            if (cut >= 16) {
                assertContains(e.getMessage(), "truncated: expected 60 bytes of image data", "found " + (cut - 16));
            } else if (cut > 4) {
                assertContains(e.getMessage(), "truncated: the header declares 3 dimensions");
            }
            // gzip of the truncated data: same verdict
            Path g = gz("cut" + cut + ".gz", part);
            var eg = assertThrows(FileFormatException.class, () -> Idx.read(g), "gzip cut at " + cut);
            if (cut >= 16) {
                assertContains(eg.getMessage(), "found " + (cut - 16));
            }
        }
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] f = concat(labelsFile(3), new byte[] {1, 2});
        assertBad(raw("trailing", f), "2 unexpected bytes after the end of the data", "3 unsigned byte values");
        assertBad(gz("trailing.gz", f), "2 unexpected bytes after the end of the data", "decompressed data is longer");
    }

    @Test
    void corruptOrCutGzipStreams() throws IOException {
        byte[] compressed = gzip(imagesFile(50, 28, 28));

        byte[] cut = Arrays.copyOf(compressed, compressed.length / 2);
        assertBad(raw("cut.gz", cut), "gzip stream is truncated");
        assertBad(raw("cut-header.gz", Arrays.copyOf(compressed, 5)), "gzip stream is truncated");
        assertBad(raw("no-trailer.gz", Arrays.copyOf(compressed, compressed.length - 4)), "gzip stream");

        byte[] garbled = compressed.clone();
        for (int k = 20; k < 60; k++) {
            garbled[k] ^= (byte) 0x5A;
        }
        Path g = raw("garbled.gz", garbled);
        // the damage decodes to a nonsense header; the stream's checksum gives the real diagnosis
        var e = assertThrows(FileFormatException.class, () -> Idx.read(g));
        assertTrue(e.getMessage().contains("gzip stream is corrupt") || e.getMessage().contains("gzip stream is truncated"),
                e.getMessage());

        byte[] badCrc = compressed.clone();
        badCrc[badCrc.length - 8] ^= 1; // CRC-32 of the trailer
        assertBad(raw("crc.gz", badCrc), "gzip stream is corrupt");
    }

    @Test
    void writesAreAtomic() throws IOException {
        Path f = dir.resolve("labels.gz");
        Idx.write(f, IdxArray.ofUnsignedBytes(new byte[] {1, 2}, 2));
        byte[] before = Files.readAllBytes(f);
        assertThrows(IOException.class, () -> Idx.write(dir.resolve("missing/labels.gz"), IdxArray.ofInts(new int[] {1}, 1)));
        Idx.write(f, IdxArray.ofUnsignedBytes(new byte[] {3}, 1));
        assertArrayEquals(new int[] {3}, Idx.readLabels(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of("labels.gz"), s.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(before.length > 0);
    }

    // ------------------------------------------------------------------ helpers

    private static void assertBad(Path file, String... fragments) {
        var e = assertThrows(FileFormatException.class, () -> Idx.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), "names the file: " + e.getMessage());
        assertContains(e.getMessage(), fragments);
    }

    private static void assertContains(String message, String... fragments) {
        for (String f : fragments) {
            assertTrue(message.contains(f), "expected \"" + f + "\" in: " + message);
        }
    }

    private Path raw(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path gz(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), gzip(bytes));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static boolean isGzip(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        return b.length >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B;
    }

    private static byte[] labelsFile(int n) {
        byte[] data = new byte[n];
        for (int k = 0; k < n; k++) {
            data[k] = (byte) (k % 10);
        }
        return concat(new byte[] {0, 0, 8, 1}, be32(n), data);
    }

    private static byte[] imagesFile(int n, int rows, int cols) {
        byte[] data = new byte[n * rows * cols];
        new Random(n).nextBytes(data);
        return concat(new byte[] {0, 0, 8, 3}, be32(n), be32(rows), be32(cols), data);
    }

    private static byte[] be32(int v) {
        return ByteBuffer.allocate(4).putInt(v).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
