package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Optimizer updates over contiguous host arrays, with the same operations in the same order as
 * {@link dev.vectorgrad.backend.Backend#adamStep}'s plain loop (no FMA contraction), so the floats are
 * identical: IEEE sqrt and division are correctly rounded in vector lanes as in scalar code. A Vector API
 * loop because C2 does not vectorize the scalar one (its float-double-float sqrt and division), which took
 * ~3 ns per parameter.
 */
final class SimdOptim {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final Backend SCALAR = Backends.scalar();

    private SimdOptim() {
    }

    static void adamStep(int n, float[] w, int wo, float[] g, int go, float[] m, int mo, float[] v, int vo,
                         float b1, float c1, float b2, float c2, float negStep, float bias2Sqrt, float eps) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector gi = FloatVector.fromArray(S, g, go + i);
            FloatVector mi = FloatVector.fromArray(S, m, mo + i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(S, v, vo + i).mul(b2).add(gi.mul(c2).mul(gi));
            mi.intoArray(m, mo + i);
            vi.intoArray(v, vo + i);
            FloatVector denom = vi.sqrt().div(bias2Sqrt).add(eps);
            FloatVector.fromArray(S, w, wo + i).add(mi.div(denom).mul(negStep)).intoArray(w, wo + i);
        }
        // The tail, fewer than one vector of parameters, is the specification's own loop.
        SCALAR.adamStep(n - i, w, wo + i, g, go + i, m, mo + i, v, vo + i, b1, c1, b2, c2, negStep, bias2Sqrt, eps);
    }
}
