package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pixels (unsigned bytes) to standardized floats, {@link Backend#bytesToStandardized}: a vector of bytes
 * widened to ints, converted to floats, then divided, shifted and divided as the plain loop does, so the
 * floats are identical (conversion, subtraction and IEEE division are exact or correctly rounded in every
 * lane). A batch of 64 Fashion-MNIST images converts in ~20 us this way, ~52 us through a 256-entry
 * table and ~100 us with the plain loop, which C2 does not vectorize.
 */
final class PixelConversion {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** As many byte lanes as float lanes: a quarter of the float vector's bits (none below 64 bits). */
    private static final VectorSpecies<Byte> B = F.vectorBitSize() >= 256
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(F.vectorBitSize() / 4)) : null;
    private static final Backend SCALAR = Backends.scalar();

    private PixelConversion() {
    }

    static void bytesToStandardized(int n, byte[] src, int s, float[] dst, int d, float mean, float std) {
        int j = 0;
        for (int bound = B == null ? 0 : F.loopBound(n); j < bound; j += F.length()) {
            FloatVector f = (FloatVector) ByteVector.fromArray(B, src, s + j)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0)
                    .convert(VectorOperators.I2F, 0);
            f.div(255f).sub(mean).div(std).intoArray(dst, d + j);
        }
        // The tail, fewer than one vector of pixels, is the specification's own loop.
        SCALAR.bytesToStandardized(n - j, src, s + j, dst, d + j, mean, std);
    }
}
