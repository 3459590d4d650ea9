package dev.vectorgrad.jupyter.display;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * PNG encoding for charts, about half the size of a plain RGB PNG: the picture is reduced to a palette
 * of at most 256 colours (charts have few: flat fills, lines, anti-aliased edges) and written with the
 * strongest compression. Notebooks keep their outputs, so this keeps committed notebooks small.
 */
final class CompactPng {

    private CompactPng() {
    }

    static byte[] encode(BufferedImage img) {
        return write(indexed(img));
    }

    /**
     * The image with a palette: its own colours when there are at most 256, otherwise the 256 most
     * common colours at 5 bits per channel (each the mean of the pixels it stands for), every other
     * pixel taking the nearest of them.
     */
    static BufferedImage indexed(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        Map<Integer, long[]> exact = new HashMap<>();
        for (int c : px) {
            if (exact.size() > 256) {
                break;
            }
            exact.computeIfAbsent(c & 0xFFFFFF, k -> new long[1])[0]++;
        }
        boolean few = exact.size() <= 256;
        Map<Integer, long[]> buckets = new HashMap<>();
        for (int c : px) {
            long[] s = buckets.computeIfAbsent(few ? c & 0xFFFFFF : bucket(c), k -> new long[4]);
            s[0]++;
            s[1] += (c >> 16) & 0xFF;
            s[2] += (c >> 8) & 0xFF;
            s[3] += c & 0xFF;
        }
        List<Map.Entry<Integer, long[]>> byCount = new ArrayList<>(buckets.entrySet());
        byCount.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        int n = Math.max(2, Math.min(256, byCount.size()));
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        int[][] palette = new int[n][3];
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < Math.min(n, byCount.size()); i++) {
            long[] s = byCount.get(i).getValue();
            for (int k = 0; k < 3; k++) {
                palette[i][k] = (int) (s[k + 1] / s[0]);
            }
            r[i] = (byte) palette[i][0];
            g[i] = (byte) palette[i][1];
            b[i] = (byte) palette[i][2];
            index.put(byCount.get(i).getKey(), i);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, n, r, g, b));
        WritableRaster raster = out.getRaster();
        Map<Integer, Integer> nearest = new HashMap<>();
        for (int i = 0; i < px.length; i++) {
            int key = few ? px[i] & 0xFFFFFF : bucket(px[i]);
            Integer k = index.get(key);
            if (k == null) {
                k = nearest.computeIfAbsent(key, q -> nearest(palette, q));
            }
            raster.setSample(i % w, i / w, 0, k);
        }
        return out;
    }

    /** The colour at 5 bits per channel. */
    private static int bucket(int c) {
        return ((c >> 19) & 31) << 10 | ((c >> 11) & 31) << 5 | ((c >> 3) & 31);
    }

    private static int nearest(int[][] palette, int bucket) {
        int red = ((bucket >> 10) & 31) * 8 + 4;
        int green = ((bucket >> 5) & 31) * 8 + 4;
        int blue = (bucket & 31) * 8 + 4;
        int best = 0;
        long bestDistance = Long.MAX_VALUE;
        for (int j = 0; j < palette.length; j++) {
            long dr = palette[j][0] - red;
            long dg = palette[j][1] - green;
            long db = palette[j][2] - blue;
            long d = dr * dr + dg * dg + db * db;
            if (d < bestDistance) {
                bestDistance = d;
                best = j;
            }
        }
        return best;
    }

    private static byte[] write(BufferedImage img) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no PNG writer in this JDK");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            ImageWriteParam p = writer.getDefaultWriteParam();
            if (p.canWriteCompressed()) {
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(0f); // smallest file
            }
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
