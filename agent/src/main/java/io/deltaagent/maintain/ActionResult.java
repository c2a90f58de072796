package io.deltaagent.maintain;

import io.deltaagent.plan.PlanCheck;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.submit.JobOutcome;

/**
 * One planned action as it ran: its history row, how the job ended.
 *
 * @param commitInfo the commitInfo of the commit the job made, read back from the log (JSON), or null
 * @param check what the run did beside what the plan predicted
 * @param runUrl the backend's page for the run's job (a Databricks run page), or null
 * @param cost the job's estimated compute cost, or null without configured prices
 */
public record ActionResult(PlannedAction action, long runId, String clusterSpec, JobOutcome outcome, String commitInfo,
                           PlanCheck check, String runUrl, io.deltaagent.cost.CostEstimate cost) {

    public boolean deviated() {
        return check != null && check.deviation() != null;
    }
}
