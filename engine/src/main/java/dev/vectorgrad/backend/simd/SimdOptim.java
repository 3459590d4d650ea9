package dev.vectorgrad.backend.simd;

import dev.vectorgrad.backend.Backend;
import dev.vectorgrad.backend.Backends;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Optimizer updates over contiguous host arrays, with the same operations in the same order as the plain
 * loops of {@link dev.vectorgrad.backend.Backend#adamStep} and {@link dev.vectorgrad.backend.Backend#sgdStep}
 * (no FMA contraction), so the floats are identical: IEEE sqrt and division are correctly rounded in vector
 * lanes as in scalar code. Vector API loops because C2 does not vectorize the scalar ones: Adam's for its
 * float-double-float sqrt and division (~3 ns per parameter), SGD's because the weight and gradient arrays
 * might be one array at different offsets (~0.6 ns per parameter, 60 us for the lectures' MLP, against ~15).
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

    static void sgdStep(int n, float[] w, int wo, float[] g, int go, float[] buf, int bo,
                        float negLr, float wd, float mom, float damp, boolean nesterov, boolean first) {
        int i = 0;
        int bound = S.loopBound(n);
        if (wd == 0 && buf == null) {
            // Plain SGD, the common case, without the per-vector option tests.
            for (; i < bound; i += S.length()) {
                FloatVector d = FloatVector.fromArray(S, g, go + i);
                FloatVector.fromArray(S, w, wo + i).add(d.mul(negLr)).intoArray(w, wo + i);
            }
        } else {
            for (; i < bound; i += S.length()) {
                FloatVector wi = FloatVector.fromArray(S, w, wo + i);
                FloatVector d = FloatVector.fromArray(S, g, go + i);
                if (wd != 0) {
                    d = d.add(wi.mul(wd));
                }
                if (buf != null) {
                    FloatVector b = first ? d : FloatVector.fromArray(S, buf, bo + i).mul(mom).add(d.mul(damp));
                    b.intoArray(buf, bo + i);
                    d = nesterov ? d.add(b.mul(mom)) : b;
                }
                wi.add(d.mul(negLr)).intoArray(w, wo + i);
            }
        }
        SCALAR.sgdStep(n - i, w, wo + i, g, go + i, buf, bo + i, negLr, wd, mom, damp, nesterov, first);
    }
}
