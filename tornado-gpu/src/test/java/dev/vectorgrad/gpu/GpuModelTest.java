package dev.vectorgrad.gpu;

import dev.vectorgrad.autograd.Grad;
import dev.vectorgrad.backend.Backends;
import dev.vectorgrad.gpu.opencl.ClBackend;
import dev.vectorgrad.gpu.opencl.ClStorage;
import dev.vectorgrad.gpu.opencl.TransferStats;
import dev.vectorgrad.nn.AvgPool2d;
import dev.vectorgrad.nn.Conv2d;
import dev.vectorgrad.nn.Flatten;
import dev.vectorgrad.nn.Linear;
import dev.vectorgrad.nn.Loss;
import dev.vectorgrad.nn.MaxPool2d;
import dev.vectorgrad.nn.Parameter;
import dev.vectorgrad.nn.ReLU;
import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny convolutional network trained through the nn layers and autograd with "gpu" as the current
 * backend, against the same network on "simd"; and the transfers a training loop causes.
 */
class GpuModelTest {

    private ClBackend gpu;

    @BeforeEach
    void device() {
        gpu = Gpu.device();
    }

    /** conv -> relu -> max pool -> conv -> relu -> avg pool -> flatten -> linear, on 1x6x6 images. */
    private static Sequential net(long seed) {
        Rng.seed(seed);
        return new Sequential(
                new Conv2d(1, 3, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(3, 4, 2), new ReLU(), new AvgPool2d(2),
                new Flatten(), new Linear(4, 3));
    }

    private record Step(float[] logits, float loss, List<float[]> grads) {
    }

    private static Step step(Sequential model, Tensor x, Tensor labels) {
        Tensor logits = model.forward(x);
        Tensor loss = Loss.crossEntropy().apply(logits, labels);
        loss.backward();
        List<float[]> grads = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            grads.add(p.grad().toArray());
        }
        return new Step(logits.toArray(), loss.item(), grads);
    }

    @Test
    void forwardAndBackwardOnGpuMatchSimd() {
        Rng data = new Rng(5);
        Tensor x = Tensor.randn(data, 5, 1, 6, 6);
        Tensor labels = Tensor.of(0, 2, 1, 1, 0);

        Step cpu = step(net(11), x, labels);

        Sequential model = net(11);
        Step dev;
        try (var s = Backends.use("gpu")) {
            dev = step(model, x.to("gpu"), labels.to("gpu"));
            for (Parameter p : model.parameters()) {
                assertInstanceOf(ClStorage.class, p.value().storage(), p.name() + " lives on the device");
                assertInstanceOf(ClStorage.class, p.grad().storage(), p.name() + " gradient lives on the device");
            }
        }
        Gpu.assertClose(cpu.logits(), dev.logits(), 1e-4, 1e-5, () -> "logits");
        assertEquals(cpu.loss(), dev.loss(), 1e-5 * Math.abs(cpu.loss()) + 1e-6, "loss");
        for (int i = 0; i < cpu.grads().size(); i++) {
            int k = i;
            Gpu.assertClose(cpu.grads().get(i), dev.grads().get(i), 1e-4, 1e-5, () -> "gradient of parameter " + k);
        }
    }

    @Test
    void weightsAreUploadedOnceAndStayOnTheDeviceAcrossTrainingSteps() {
        Rng data = new Rng(6);
        Tensor x = Tensor.randn(data, 4, 1, 6, 6);
        Tensor labels = Tensor.of(0, 1, 2, 1);
        Rng.seed(3);
        Sequential model = new Sequential(new Conv2d(1, 2, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(),
                new Linear(18, 256), new ReLU(), new Linear(256, 3)); // ~5.6k weights: 22 kB
        long weightBytes = 4 * model.parameterCount();
        try (var s = Backends.use("gpu")) {
            Tensor xd = x.to("gpu");
            Tensor yd = labels.to("gpu");
            TransferStats beforeFirst = gpu.transferStats();
            model.forward(xd); // parameters get their values now, on the device
            TransferStats first = gpu.transferStats().minus(beforeFirst);
            assertTrue(first.hostToDeviceBytes() >= weightBytes, "initial values uploaded: " + first);

            List<Object> storages = new ArrayList<>();
            for (Parameter p : model.parameters()) {
                storages.add(p.value().storage());
            }
            float firstLoss = Float.NaN;
            float lastLoss = Float.NaN;
            List<TransferStats> steps = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                TransferStats before = gpu.transferStats();
                Tensor loss = Loss.crossEntropy().apply(model.forward(xd), yd);
                model.zeroGrad();
                loss.backward();
                try (var g = Grad.off()) {
                    for (Parameter p : model.parameters()) {
                        p.value().addInPlace(p.grad(), -0.1f);
                    }
                }
                float l = loss.item();
                firstLoss = i == 0 ? l : firstLoss;
                lastLoss = l;
                steps.add(gpu.transferStats().minus(before));
            }
            for (int i = 0; i < storages.size(); i++) {
                assertSame(storages.get(i), model.parameters().get(i).value().storage(), "same device buffer");
            }
            for (TransferStats st : steps) {
                // Per step only the one-hot targets and a few scalars go up, the loss and labels come down.
                assertTrue(st.hostToDeviceBytes() < weightBytes / 10, "a step re-uploaded weights: " + st);
                assertTrue(st.deviceToHostBytes() < weightBytes / 10, "a step downloaded weights: " + st);
            }
            assertEquals(steps.get(1).hostToDeviceBytes(), steps.get(3).hostToDeviceBytes(), "steady state");
            assertNotEquals(firstLoss, lastLoss, "the model trained");
            assertTrue(lastLoss < firstLoss, "loss " + firstLoss + " -> " + lastLoss);
        }
    }
}
