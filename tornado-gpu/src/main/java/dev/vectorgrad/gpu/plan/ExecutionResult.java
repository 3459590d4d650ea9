package dev.vectorgrad.gpu.plan;

import dev.vectorgrad.tensor.Tensor;

import java.util.Objects;

/** What one {@link ExecutionPlan#execute()} produced: the profile, and on-demand copies back. */
public final class ExecutionResult {

    private final ExecutionPlan plan;
    private final ProfilerResult profile;

    ExecutionResult(ExecutionPlan plan, ProfilerResult profile) {
        this.plan = plan;
        this.profile = profile;
    }

    /**
     * Device timings of this execution.
     *
     * @throws IllegalStateException if the plan ran without {@link ExecutionPlan#withProfiler()}
     */
    public ProfilerResult profile() {
        if (profile == null) {
            throw new IllegalStateException("no profile: the plan ran without the profiler; call withProfiler()"
                    + " before execute()");
        }
        return profile;
    }

    /** True when the plan ran with the profiler. */
    public boolean isProfiled() {
        return profile != null;
    }

    /**
     * Copies the device values of tensors declared with {@code transferToHost} (typically
     * {@link DataTransferMode#UNDER_DEMAND}) into them now. Returns this result.
     */
    public ExecutionResult transferToHost(Tensor... tensors) {
        for (Tensor t : tensors) {
            Objects.requireNonNull(t, "transferToHost: a tensor is null");
            if (!plan.declaredToHost(t)) {
                throw new IllegalArgumentException("transferToHost: " + t.describe() + " is not declared with"
                        + " transferToHost(...) in the plan's graphs");
            }
            plan.copyBack(plan.device(), t);
        }
        return this;
    }
}
