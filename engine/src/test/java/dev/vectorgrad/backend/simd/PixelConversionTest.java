package dev.vectorgrad.backend.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector pixel conversion against the Backend's plain-loop specification: the same floats, bit for bit. */
class PixelConversionTest {

    @Test
    void everyByteValueAndEveryTailLengthMatchThePlainLoop() {
        Backend spec = Backends.scalar();
        Backend simd = Backends.get("simd");
        Random r = new Random(11);
        int lanes = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        byte[] all = new byte[256 + 7];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (i - 3); // every unsigned value 0..255, negative Java bytes included
        }
        float[][] meanStd = {{0f, 1f}, {0.2860f, 0.3530f}, {0.5f, 0.5f}, {-3.25f, 17f}};
        for (int n : new int[] {0, 1, lanes - 1, lanes, lanes + 1, 3 * lanes + 5, 256, 784}) {
            for (int off : new int[] {0, 3}) {
                byte[] src = n + off <= all.length ? all : random(r, n + off);
                for (float[] ms : meanStd) {
                    float[] expected = new float[n + off + 2];
                    float[] actual = new float[n + off + 2];
                    spec.bytesToStandardized(n, src, off, expected, off + 1, ms[0], ms[1]);
                    simd.bytesToStandardized(n, src, off, actual, off + 1, ms[0], ms[1]);
                    assertArrayEquals(expected, actual, "n=" + n + ", offset " + off + ", mean/std " + ms[0] + "/" + ms[1]);
                }
            }
        }
    }

    @Test
    void theSpecificationIsPixelOver255Standardized() {
        float[] out = new float[3];
        Backends.scalar().bytesToStandardized(3, new byte[] {0, (byte) 255, (byte) 128}, 0, out, 0, 0.5f, 0.25f);
        assertEquals(-2f, out[0]);
        assertEquals(2f, out[1]);
        assertEquals((128 / 255f - 0.5f) / 0.25f, out[2]);
    }

    private static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
