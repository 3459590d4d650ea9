package dev.vectorgrad.data;

import dev.vectorgrad.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.function.BiFunction;

import static dev.vectorgrad.data.DataLoaderTest.vals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticTest {

    private static int[] counts(TensorDataset ds, int k) {
        int[] c = new int[k];
        for (float l : vals(ds.y())) {
            assertEquals(Math.rint(l), l, "labels are whole numbers");
            c[(int) l]++;
        }
        return c;
    }

    @Test
    void sizesShapesBalanceAndReproducibility() {
        for (String name : new String[] {"circle", "xor", "gaussian", "spiral"}) {
            BiFunction<Integer, Rng, TensorDataset> make = switch (name) {
                case "circle" -> (n, r) -> Synthetic.circle(n, 0.1, r);
                case "xor" -> (n, r) -> Synthetic.xor(n, 0.1, r);
                case "gaussian" -> (n, r) -> Synthetic.gaussian(n, 0.1, r);
                default -> (n, r) -> Synthetic.spiral(n, 0.1, r);
            };
            TensorDataset ds = make.apply(301, new Rng(5));
            assertEquals(301, ds.size(), name);
            assertArrayEquals(new int[] {301, 2}, ds.x().shape(), name);
            assertArrayEquals(new int[] {301}, ds.y().shape(), name);
            assertArrayEquals(new int[] {151, 150}, counts(ds, 2), name);

            TensorDataset again = make.apply(301, new Rng(5));
            assertArrayEquals(vals(ds.x()), vals(again.x()), name + " reproducible");
            assertArrayEquals(vals(ds.y()), vals(again.y()), name + " reproducible");
            assertFalse(java.util.Arrays.equals(vals(ds.x()), vals(make.apply(301, new Rng(6)).x())), name + " seeded");

            // shuffled: the labels are not in blocks or strictly alternating
            float[] y = vals(ds.y());
            int changes = 0;
            for (int i = 1; i < y.length; i++) {
                changes += y[i] != y[i - 1] ? 1 : 0;
            }
            assertTrue(changes > 100 && changes < 200, name + ": " + changes + " label changes");

            for (float v : vals(ds.x())) {
                assertTrue(Math.abs(v) < 8, name + ": " + v);
            }
            assertEquals(0, make.apply(0, new Rng(1)).size());
        }
        assertArrayEquals(vals(Synthetic.circle(50, 0.2, 3).x()), vals(Datasets.circle(50, 0.2, new Rng(3)).x()));
    }

    @Test
    void circleInnerClassIsInsideTheRing() {
        TensorDataset ds = Synthetic.circle(400, 0, new Rng(1));
        float[] x = vals(ds.x());
        float[] y = vals(ds.y());
        double innerMax = 0;
        double outerMin = Double.MAX_VALUE;
        for (int i = 0; i < ds.size(); i++) {
            double r = Math.hypot(x[2 * i], x[2 * i + 1]);
            if (y[i] == 1) {
                innerMax = Math.max(innerMax, r);
            } else {
                outerMin = Math.min(outerMin, r);
            }
        }
        assertTrue(innerMax <= 2.5 + 1e-5, "inner disc radius " + innerMax);
        assertTrue(outerMin >= 3.5 - 1e-5, "outer ring from " + outerMin);
        assertTrue(outerMin > innerMax);

        // noise blurs the boundary but not the averages
        TensorDataset noisy = Synthetic.circle(2000, 0.2, new Rng(1));
        float[] nx = vals(noisy.x());
        float[] ny = vals(noisy.y());
        double[] meanR = new double[2];
        for (int i = 0; i < noisy.size(); i++) {
            meanR[(int) ny[i]] += Math.hypot(nx[2 * i], nx[2 * i + 1]) / 1000;
        }
        assertTrue(meanR[1] < meanR[0] - 1.5, "inner " + meanR[1] + " outer " + meanR[0]);
    }

    @Test
    void xorLabelIsTheProductOfSigns() {
        TensorDataset ds = Synthetic.xor(500, 0, new Rng(2));
        float[] x = vals(ds.x());
        float[] y = vals(ds.y());
        int[] quadrants = new int[4];
        for (int i = 0; i < ds.size(); i++) {
            float px = x[2 * i];
            float py = x[2 * i + 1];
            assertTrue(Math.abs(px) >= 0.3f && Math.abs(py) >= 0.3f, "kept off the axes");
            assertTrue(Math.abs(px) <= 5.3f && Math.abs(py) <= 5.3f);
            assertEquals(Math.signum(px) * Math.signum(py) > 0 ? 1f : 0f, y[i], "point (" + px + ", " + py + ")");
            quadrants[(px > 0 ? 0 : 1) + (py > 0 ? 0 : 2)]++;
        }
        for (int q : quadrants) {
            assertTrue(q > 90, "every quadrant populated: " + java.util.Arrays.toString(quadrants));
        }
    }

    @Test
    void blobsSitAroundTheirCentres() {
        int k = 5;
        TensorDataset ds = Synthetic.blobs(1000, k, 0, new Rng(3));
        assertArrayEquals(new int[] {200, 200, 200, 200, 200}, counts(ds, k));
        float[] x = vals(ds.x());
        float[] y = vals(ds.y());
        double[][] mean = new double[k][2];
        for (int i = 0; i < ds.size(); i++) {
            mean[(int) y[i]][0] += x[2 * i] / 200.0;
            mean[(int) y[i]][1] += x[2 * i + 1] / 200.0;
        }
        for (int c = 0; c < k; c++) {
            double[] centre = Synthetic.blobCentre(c, k);
            assertEquals(centre[0], mean[c][0], 0.15, "class " + c);
            assertEquals(centre[1], mean[c][1], 0.15, "class " + c);
            double[] next = Synthetic.blobCentre((c + 1) % k, k);
            assertTrue(Math.hypot(centre[0] - next[0], centre[1] - next[1]) >= 4 - 1e-9, "neighbours 4 apart");
        }
        // two blobs: (2, 2) and (-2, -2)
        assertArrayEquals(new double[] {2, 2}, Synthetic.blobCentre(0, 2), 1e-12);
        assertArrayEquals(new double[] {-2, -2}, Synthetic.blobCentre(1, 2), 1e-12);
        // nearly every clean sample is nearest its own centre
        TensorDataset two = Synthetic.gaussian(400, 0, new Rng(4));
        float[] tx = vals(two.x());
        float[] ty = vals(two.y());
        int right = 0;
        for (int i = 0; i < 400; i++) {
            right += ((tx[2 * i] + tx[2 * i + 1] > 0) ? 0 : 1) == ty[i] ? 1 : 0;
        }
        assertEquals(400, right);
        assertThrows(IllegalArgumentException.class, () -> Synthetic.blobs(10, 0, 0, new Rng(1)));
    }

    @Test
    void spiralPointsLieOnTheirArm() {
        TensorDataset ds = Synthetic.spiral(200, 0, new Rng(7));
        float[] x = vals(ds.x());
        float[] y = vals(ds.y());
        for (int i = 0; i < ds.size(); i++) {
            double px = x[2 * i];
            double py = x[2 * i + 1];
            double r = Math.hypot(px, py);
            assertTrue(r < 5, "within radius 5");
            if (r < 1e-6) {
                continue; // the arms start at the origin
            }
            double expected = Synthetic.spiralAngle(r) + (y[i] == 1 ? 0 : Math.PI);
            double actual = Math.atan2(px, py);
            double diff = Math.IEEEremainder(actual - expected, 2 * Math.PI);
            assertEquals(0, diff, 1e-4, "sample " + i + " of class " + y[i] + " at r " + r);
        }
        // the two arms are apart: the nearest point of the other class is never very close
        double nearest = Double.MAX_VALUE;
        for (int i = 0; i < ds.size(); i++) {
            for (int j = 0; j < ds.size(); j++) {
                if (y[i] != y[j]) {
                    double ri = Math.hypot(x[2 * i], x[2 * i + 1]);
                    if (ri > 0.5) {
                        nearest = Math.min(nearest, Math.hypot(x[2 * i] - x[2 * j], x[2 * i + 1] - x[2 * j + 1]));
                    }
                }
            }
        }
        assertTrue(nearest > 0.5, "nearest point of the other arm " + nearest);
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> Synthetic.circle(-1, 0, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.xor(10, -0.1, new Rng(1)));
        assertThrows(IllegalArgumentException.class, () -> Synthetic.spiral(10, Double.NaN, new Rng(1)));
        assertThrows(NullPointerException.class, () -> Synthetic.gaussian(10, 0, null));
    }
}
