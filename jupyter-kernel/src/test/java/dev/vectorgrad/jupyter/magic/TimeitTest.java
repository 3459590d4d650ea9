package dev.vectorgrad.jupyter.magic;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimeitTest {

    @Test
    void parsesOptionsThenCode() {
        Timeit.Options o = Timeit.parse("-n 100 -r 5 -q -o a.matmul(b)");
        assertEquals(100, o.loops());
        assertEquals(5, o.runs());
        assertTrue(o.quiet());
        assertTrue(o.returnResult());
        assertEquals("a.matmul(b)", o.rest());
        Timeit.Options plain = Timeit.parse("  -x.abs()");
        assertEquals(0, plain.loops());
        assertFalse(plain.quiet());
        assertEquals("-x.abs()", plain.rest());
    }

    @Test
    void rejectsBadCounts() {
        assertThrows(IllegalArgumentException.class, () -> Timeit.parse("-n zero x"));
        assertThrows(IllegalArgumentException.class, () -> Timeit.parse("-n 0 x"));
        assertThrows(IllegalArgumentException.class, () -> Timeit.parse("-r 100000 x"));
    }

    @Test
    void loopCountsGrowLikeIPython() {
        long n = 1;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append(n).append(' ');
            n = Timeit.nextLoops(n);
        }
        assertEquals("1 2 5 10 20 50 100 200 ", sb.toString());
    }

    @Test
    void formatsDurations() {
        assertEquals("512 ns", Timeit.format(512));
        assertEquals("1.23 µs", Timeit.format(1234));
        assertEquals("45.7 ms", Timeit.format(45.67e6));
        assertEquals("2.00 s", Timeit.format(2e9));
    }

    @Test
    void resultStatistics() {
        Timeit.Result r = new Timeit.Result(5_000_000, 100_000_000, 40, 10, new double[] {1000, 2000, 3000});
        assertEquals(2000, r.mean(), 1e-9);
        assertEquals(Math.sqrt(2e6 / 3), r.std(), 1e-6);
        assertEquals(1000, r.best(), 1e-9);
        assertTrue(r.toString().startsWith("first call: 5.00 ms\n2.00 µs ± 816 ns per loop (mean ± std. dev. of 3 runs, 10 loops each"),
                r.toString());
    }
}
