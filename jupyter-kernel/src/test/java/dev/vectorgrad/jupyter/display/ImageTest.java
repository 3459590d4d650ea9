package dev.vectorgrad.jupyter.display;

import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageTest {

    @Test
    void smallImagesAreEnlargedWithCrispPixels() throws IOException {
        Image img = Image.of(Tensor.rand(28, 28));
        assertEquals(8, img.scale());
        assertEquals(224, img.width());
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(img.png()));
        assertEquals(224, back.getWidth());
        assertEquals(back.getRGB(0, 0), back.getRGB(7, 7), "one source pixel is an 8x8 block");
        assertEquals("Image 28x28 gray (shown 224x224)", img.toString());
    }

    @Test
    void unitRangeMapsDirectlyOtherwiseMinMax() {
        assertArrayEquals(new int[] {0, 128, 255}, Image.toBytes(new float[] {0f, 0.5f, 1f}));
        assertArrayEquals(new int[] {0, 128, 255}, Image.toBytes(new float[] {-2f, 0f, 2f}));
        assertArrayEquals(new int[] {0, 0}, Image.toBytes(new float[] {3f, 3f}), "constant image is black, not NaN");
        assertArrayEquals(new int[] {0, 0, 255}, Image.toBytes(new float[] {Float.NaN, 0f, 1f}));
    }

    @Test
    void channelsAndShapes() {
        Image rgb = Image.of(Tensor.rand(3, 4, 5), 1);
        assertEquals(5, rgb.width());
        assertEquals(4, rgb.height());
        assertEquals(BufferedImage.TYPE_INT_RGB, rgb.bufferedImage().getType());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, Image.of(Tensor.rand(1, 4, 5), 1).bufferedImage().getType());
        assertEquals(6, Image.of(Tensor.rand(1, 1, 6, 2), 1).height(), "a batch of one");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Image.of(Tensor.rand(2, 4, 5)));
        assertTrue(e.getMessage().contains("(2,4,5)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Image.of(Tensor.rand(5)));
    }

    @Test
    void redGreenBlueLandInTheirChannels() {
        float[] planes = new float[3];
        planes[0] = 1f; // one pixel: red
        Image img = Image.of(Tensor.fromArray(planes, 3, 1, 1), 1);
        assertEquals(0xFF0000, img.bufferedImage().getRGB(0, 0) & 0xFFFFFF);
    }
}
