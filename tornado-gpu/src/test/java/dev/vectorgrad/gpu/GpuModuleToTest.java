package dev.vectorgrad.gpu;

import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.backend.HostStorage;
import dev.vectorgrad.gpu.opencl.ClBackend;
import dev.vectorgrad.gpu.opencl.ClStorage;
import dev.vectorgrad.gpu.opencl.TransferStats;
import dev.vectorgrad.nn.BatchNorm;
import dev.vectorgrad.nn.BatchNorm1d;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.optim.SGD;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code model.to("gpu")} / {@code model.to("simd")} and {@code Tensor.toHost()} with the device backend. */
class GpuModuleToTest {

    private ClBackend gpu;

    @BeforeEach
    void device() {
        gpu = Gpu.device();
    }

    private static Sequential net(long seed) {
        Rng.seed(seed);
        return new Sequential(new Linear(5, 16), new BatchNorm1d(16), new ReLU(), new Linear(16, 3));
    }

    private static long stateBytes(Sequential m) {
        long n = 0;
        for (Tensor t : m.stateDict().values()) {
            n += 4L * t.numel();
        }
        return n;
    }

    @Test
    void toGpuUploadsTheStateOnceAndTrainingKeepsItThere() {
        Tensor x = Tensor.randn(new Rng(1), 8, 5);
        Tensor y = Tensor.randn(new Rng(2), 8, 3);

        Sequential reference = net(4);
        SGD refOpt = new SGD(reference.parameters(), 0.05, 0.9);
        Sequential model = net(4);
        SGD opt = new SGD(model.parameters(), 0.05, 0.9); // made before the move: it holds the Parameters
        List<Parameter> params = model.parameters();
        model.stateDict(); // give the parameters their values on the host first

        TransferStats before = gpu.transferStats();
        assertSame(model, model.to("gpu"));
        TransferStats moved = gpu.transferStats().minus(before);
        // Every parameter and buffer once; the one-element batch counter stays a host value until used.
        assertEquals(stateBytes(model) - 4, moved.hostToDeviceBytes(), "uploaded once: " + moved);
        assertEquals(0, moved.deviceToHostBytes());
        assertEquals(params, model.parameters(), "the same Parameter objects");
        for (Parameter p : params) {
            assertInstanceOf(ClStorage.class, p.value().storage(), p.name());
            assertSame(gpu, p.value().backend());
        }
        BatchNorm bn = (BatchNorm) model.get(1);
        assertInstanceOf(ClStorage.class, bn.runningMean().storage(), "buffers moved");

        Tensor xd = x.to(gpu);
        Tensor yd = y.to(gpu);
        List<TransferStats> steps = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            refOpt.zeroGrad();
            Loss.mse().apply(reference.forward(x), y).backward();
            refOpt.step();
            try (var s = Backends.use(gpu)) {
                TransferStats b = gpu.transferStats();
                opt.zeroGrad();
                Loss.mse().apply(model.forward(xd), yd).backward();
                opt.step();
                steps.add(gpu.transferStats().minus(b));
            }
        }
        long weightBytes = 4 * model.parameterCount();
        for (TransferStats st : steps) {
            assertTrue(st.hostToDeviceBytes() < weightBytes / 10, "a step re-uploaded weights: " + st);
        }
        for (Parameter p : params) {
            assertInstanceOf(ClStorage.class, p.value().storage(), p.name() + " still on the device");
        }
        assertEquals(3f, bn.numBatchesTracked().item(), "the moved counter kept counting");

        TransferStats beforeBack = gpu.transferStats();
        model.to("simd");
        TransferStats back = gpu.transferStats().minus(beforeBack);
        // Parameters, buffers and, moved along, the gradients of the last step: each once.
        assertEquals(stateBytes(model) + weightBytes, back.deviceToHostBytes(), "downloaded once: " + back);
        List<Parameter> ref = reference.parameters();
        for (int i = 0; i < ref.size(); i++) {
            Parameter p = params.get(i);
            assertInstanceOf(HostStorage.class, p.value().storage());
            assertArrayEquals(ref.get(i).value().toArray(), p.value().toArray(), 1e-4f,
                    "parameter " + i + " after three momentum steps on the device");
        }
        assertArrayEquals(((BatchNorm) reference.get(1)).runningVar().toArray(), bn.runningVar().toArray(), 1e-4f);
    }

    @Test
    void toHostDownloadsOnceToTheDefaultHostBackend() {
        Tensor dev = Tensor.arange(12).reshape(3, 4).to(gpu);
        TransferStats before = gpu.transferStats();
        Tensor host = dev.toHost();
        TransferStats d = gpu.transferStats().minus(before);
        assertEquals(1, d.deviceToHostCount());
        assertEquals(48, d.deviceToHostBytes());
        assertInstanceOf(HostStorage.class, host.storage());
        assertSame(Backends.host(), host.backend());
        assertArrayEquals(new int[] {3, 4}, host.shape());
        assertArrayEquals(dev.toArray(), host.toArray());
        assertSame(host, host.toHost());
    }
}
