package dev.vectorgrad.io;

import dev.vectorgrad.nn.Sequential;
import dev.vectorgrad.tensor.Rng;
import dev.vectorgrad.tensor.Tensor;
import dev.vectorgrad.testing.TorchPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checkpoints move between vectorgrad and PyTorch in both directions, where PyTorch is installed
 * (Debian {@code python3-torch}): {@code torch.nn.Sequential.load_state_dict} takes our LeNet-5 and
 * batch-norm checkpoints as they are and computes what we compute, and a state_dict saved from torch
 * (sorted, without our metadata, {@code num_batches_tracked} as int64) loads into our models and again
 * computes what torch computes. Skipped, with the reason, when python3 or torch is missing (see
 * {@link TorchPeer}).
 */
class CheckpointsTorchTest {

    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-5;

    @TempDir
    Path dir;

    @Test
    void pytorchLoadsOurCheckpointsAndWeLoadTheirs() throws Exception {
        Rng.seed(21);
        Sequential lenet = CheckpointsTest.lenet();
        Tensor xLenet = Tensor.randn(4, 1, 28, 28);
        Rng.seed(22);
        Sequential bn = CheckpointsTest.withBatchNorm();
        bn.forward(Tensor.randn(6, 2, 6, 6).mul(2f).add(0.5f)); // running statistics move
        bn.eval();
        Tensor xBn = Tensor.randn(5, 2, 6, 6);

        Checkpoints.save(lenet, dir.resolve("lenet.safetensors"));
        Checkpoints.save(bn, dir.resolve("bn.safetensors"));
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("lenet", xLenet);
        inputs.put("bn", xBn);
        Checkpoints.save(inputs, dir.resolve("inputs.safetensors"));

        String output = TorchPeer.run(Duration.ofSeconds(120), TorchPeer.script("checkpoint_check.py"), dir.toString());
        assertTrue(output.startsWith("OK"), output);
        System.out.println("checkpoint_check.py: " + output);
        Map<String, Tensor> out = Checkpoints.load(dir.resolve("outputs.safetensors"));

        // PyTorch on our weights computes what we compute.
        assertClose("LeNet-5, torch with our checkpoint", out.get("lenet.y"), lenet.forward(xLenet));
        assertClose("BatchNorm model, torch with our checkpoint", out.get("bn.y"), bn.forward(xBn));

        // We load torch's weights into fresh models and compute what torch computes.
        Rng.seed(23);
        Sequential ourLenet = CheckpointsTest.lenet();
        Path theirsLenet = dir.resolve("theirs_lenet.safetensors");
        assertTrue(Checkpoints.load(ourLenet, theirsLenet).allKeysMatched());
        assertTrue(Checkpoints.metadata(theirsLenet).isEmpty(), "torch's file has no metadata");
        assertClose("LeNet-5, ours with torch's checkpoint", out.get("lenet.y_theirs"), ourLenet.forward(xLenet));

        Rng.seed(24);
        Sequential ourBn = CheckpointsTest.withBatchNorm();
        ourBn.eval();
        Path theirsBn = dir.resolve("theirs_bn.safetensors");
        assertTrue(Checkpoints.load(ourBn, theirsBn).allKeysMatched());
        assertEquals(Map.of("format", "pt"), Checkpoints.metadata(theirsBn));
        assertEquals(1f, ourBn.stateDict().get("1.num_batches_tracked").item(), "int64 counter read as float");
        assertEquals(List.of("1.num_batches_tracked", "5.num_batches_tracked", "0.bias", "0.weight"),
                List.copyOf(Checkpoints.load(theirsBn).keySet()).subList(0, 4), "file order, not model order");
        assertClose("BatchNorm model, ours with torch's checkpoint", out.get("bn.y_theirs"), ourBn.forward(xBn));
    }

    private static void assertClose(String what, Tensor torch, Tensor ours) {
        assertArrayEquals(torch.shape(), ours.shape(), what + ": shapes");
        float[] t = torch.toArray();
        float[] o = ours.toArray();
        for (int i = 0; i < t.length; i++) {
            double diff = Math.abs((double) o[i] - t[i]);
            if (!(diff <= ATOL + RTOL * Math.abs(t[i]))) {
                fail(what + ": element " + i + " is " + o[i] + " here and " + t[i] + " in torch (difference " + diff + ")");
            }
        }
    }
}
