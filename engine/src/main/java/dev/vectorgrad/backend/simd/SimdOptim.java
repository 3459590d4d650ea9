package dev.vectorgrad.backend.simd;

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
        for (; i < n; i++) {
            float gi = g[go + i];
            float mi = m[mo + i] * b1 + c1 * gi;
            float vi = v[vo + i] * b2 + c2 * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            float denom = (float) Math.sqrt(vi) / bias2Sqrt + eps;
            w[wo + i] = w[wo + i] + negStep * (mi / denom);
        }
    }
}
