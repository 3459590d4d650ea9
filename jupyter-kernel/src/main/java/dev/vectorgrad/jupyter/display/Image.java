package dev.vectorgrad.jupyter.display;

import dev.vectorgrad.tensor.Shapes;
import dev.vectorgrad.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A tensor shown as a picture (PNG). {@code (H,W)} and {@code (1,H,W)} are grayscale, {@code (3,H,W)}
 * is RGB; leading dimensions of size 1 are dropped, so a single {@code (1,1,H,W)} batch works too.
 *
 * <p>Values already in {@code [0,1]} map to 0..255 as they are; anything else is min-max scaled over
 * the whole tensor (NaN shows black). Small images are enlarged by an integer factor with nearest-
 * neighbour sampling so that a 28x28 digit or a 5x5 filter is visible with crisp pixels.
 *
 * <pre>{@code
 * Image.of(x.select(0, 0))        // a cell's value: shown as PNG
 * show(kernel)                    // display(Image.of(kernel)) right away
 * }</pre>
 */
public final class Image {

    /** Small images are enlarged to about this many pixels on their longer side. */
    static final int TARGET_SIZE = 224;
    static final int MAX_SCALE = 32;

    private final BufferedImage image;
    private final int sourceWidth;
    private final int sourceHeight;
    private final int scale;
    private final String kind;

    private Image(BufferedImage image, int sourceWidth, int sourceHeight, int scale, String kind) {
        this.image = image;
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.scale = scale;
        this.kind = kind;
    }

    /** The tensor as an image, enlarged automatically when small. */
    public static Image of(Tensor t) {
        return of(t, 0);
    }

    /** The tensor as an image, each pixel drawn {@code scale x scale} ({@code 0} chooses automatically). */
    public static Image of(Tensor t, int scale) {
        Objects.requireNonNull(t, "Image.of: tensor is null");
        if (scale < 0) {
            throw new IllegalArgumentException("Image.of: scale must be >= 0 (0 = automatic), got " + scale);
        }
        int[] shape = t.shape();
        int lead = 0;
        while (shape.length - lead > 3 && shape[lead] == 1) {
            lead++;
        }
        int[] s = java.util.Arrays.copyOfRange(shape, lead, shape.length);
        int channels;
        int h;
        int w;
        if (s.length == 2) {
            channels = 1;
            h = s[0];
            w = s[1];
        } else if (s.length == 3 && (s[0] == 1 || s[0] == 3)) {
            channels = s[0];
            h = s[1];
            w = s[2];
        } else {
            throw new IllegalArgumentException("Image.of: expects a (H,W), (1,H,W) or (3,H,W) tensor, got "
                    + Shapes.format(shape));
        }
        if (h == 0 || w == 0) {
            throw new IllegalArgumentException("Image.of: the image " + Shapes.format(shape) + " has no pixels");
        }
        float[] v = t.contiguous().toArray();
        int[] bytes = toBytes(v);
        int k = scale > 0 ? scale : autoScale(w, h);
        BufferedImage img = new BufferedImage(w * k, h * k,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int rgb;
                if (channels == 1) {
                    int g = bytes[p];
                    rgb = g << 16 | g << 8 | g;
                } else {
                    rgb = bytes[p] << 16 | bytes[plane + p] << 8 | bytes[2 * plane + p];
                }
                for (int dy = 0; dy < k; dy++) {
                    for (int dx = 0; dx < k; dx++) {
                        img.setRGB(x * k + dx, y * k + dy, rgb);
                    }
                }
            }
        }
        return new Image(img, w, h, k, channels == 1 ? "gray" : "RGB");
    }

    /** An existing AWT image, shown as it is. */
    public static Image of(BufferedImage img) {
        Objects.requireNonNull(img, "Image.of: image is null");
        return new Image(img, img.getWidth(), img.getHeight(), 1, "image");
    }

    static int autoScale(int w, int h) {
        int longer = Math.max(w, h);
        return Math.max(1, Math.min(MAX_SCALE, TARGET_SIZE / longer));
    }

    /** 0..255 per value: as they are when all finite values lie in [0,1], min-max scaled otherwise. */
    static int[] toBytes(float[] v) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            if (Float.isFinite(f)) {
                min = Math.min(min, f);
                max = Math.max(max, f);
            }
        }
        float lo;
        float range;
        if (min >= 0f && max <= 1f) {
            lo = 0f;
            range = 1f;
        } else if (min <= max) {
            lo = min;
            range = max - min;
        } else {
            lo = 0f;
            range = 1f; // nothing finite
        }
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            float f = v[i];
            if (Float.isNaN(f)) {
                out[i] = 0;
            } else if (f == Float.POSITIVE_INFINITY) {
                out[i] = 255;
            } else if (f == Float.NEGATIVE_INFINITY || range == 0f) {
                out[i] = 0;
            } else {
                out[i] = Math.max(0, Math.min(255, Math.round((f - lo) / range * 255f)));
            }
        }
        return out;
    }

    /** The PNG encoding. */
    public byte[] png() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Width as shown, in pixels (after enlarging). */
    public int width() {
        return image.getWidth();
    }

    /** Height as shown, in pixels (after enlarging). */
    public int height() {
        return image.getHeight();
    }

    public int scale() {
        return scale;
    }

    public BufferedImage bufferedImage() {
        return image;
    }

    @Override
    public String toString() {
        return "Image " + sourceWidth + "x" + sourceHeight + " " + kind
                + (scale > 1 ? " (shown " + width() + "x" + height() + ")" : "");
    }
}
