package io.deltaagent.maintain;

import io.deltaagent.cost.CostEstimate;
import io.deltaagent.plan.PlanCheck;
import io.deltaagent.store.RunCheck;
import io.deltaagent.store.RunCost;
import io.deltaagent.store.RunState;
import io.deltaagent.submit.JobState;

/**
 * Between the run lifecycle's values and the store's own rows: the store knows nothing of plans, jobs or prices, so what
 * the lifecycle records is turned into its rows here, and what it reads back into values again.
 */
public final class RunRows {

    private RunRows() {
    }

    /** A prediction (and what the run did) as stored; null for null. */
    public static RunCheck row(PlanCheck c) {
        return c == null ? null : new RunCheck(c.plannedFilesRewritten(), c.plannedBytesRewritten(), c.plannedFilesWritten(),
                c.plannedSmallFileBytes(), c.plannedFilesAfter(), c.filesRewritten(), c.bytesRewritten(), c.filesWritten(),
                c.bytesWritten(), c.filesAfter(), c.writeAmplification(), c.deviation());
    }

    /** A stored prediction as the planner's value, to judge a run against it; null for null. */
    public static PlanCheck check(RunCheck r) {
        return r == null ? null : new PlanCheck(r.plannedFilesRewritten(), r.plannedBytesRewritten(), r.plannedFilesWritten(),
                r.plannedSmallFileBytes(), r.plannedFilesAfter(), r.filesRewritten(), r.bytesRewritten(), r.filesWritten(),
                r.bytesWritten(), r.filesAfter(), r.writeAmplification(), r.deviation());
    }

    /** A cost estimate as stored. */
    public static RunCost row(CostEstimate c) {
        return new RunCost(c.amount(), c.currency(), c.basis());
    }

    /** A stored cost as an estimate, for people and reports; null for null. */
    public static CostEstimate estimate(RunCost r) {
        return r == null ? null : new CostEstimate(r.amount(), r.currency(), r.basis());
    }

    /** The recorded state of a job that ended so. */
    public static RunState state(JobState state) {
        return switch (state) {
            case SUCCEEDED -> RunState.SUCCEEDED;
            case FAILED -> RunState.FAILED;
            case CANCELLED -> RunState.CANCELLED;
            case TIMED_OUT -> RunState.TIMED_OUT;
        };
    }
}
