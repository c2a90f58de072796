package io.deltaagent.maintain;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.plan.MaintenancePlan;
import io.deltaagent.policy.Breach;
import io.deltaagent.submit.JobState;
import java.util.List;

/**
 * What {@code maintain} did to one table: the health before, the plan, each action's run, and the health
 * re-audited from the log after.
 *
 * @param after null when nothing ran or the table could not be read again
 * @param remaining breaches the re-audit still finds (those of before when nothing ran)
 * @param error why the table could not be read or maintained, or null
 */
public record MaintenanceResult(String table, TableHealth before, MaintenancePlan plan, List<ActionResult> actions,
                                TableHealth after, List<Breach> remaining, DeltaAgentException error) {

    /**
     * How the table stands after maintenance. DEVIATED: the runs succeeded and nothing is due, but a run did not do what
     * its plan predicted (beyond prediction-tolerance): worth a look, not to be taken as healed. NOT_MAINTAINABLE: audited,
     * but the agent does not maintain the table by path (catalog-managed, or a writer feature the job runtime lacks).
     */
    public enum Status { HEALTHY, HEALED, DEVIATED, MAINTENANCE_DUE, NOT_MAINTAINABLE, FAILED }

    public MaintenanceResult {
        actions = actions == null ? List.of() : List.copyOf(actions);
        remaining = remaining == null ? List.of() : List.copyOf(remaining);
    }

    public Status status() {
        if (error != null || actions.stream().anyMatch(a -> a.outcome().state() != JobState.SUCCEEDED)) {
            return Status.FAILED;
        }
        if (plan != null && !plan.maintainable()) {
            return Status.NOT_MAINTAINABLE; // nothing ran: whatever is due stays due, and says why
        }
        if (!remaining.isEmpty()) {
            return Status.MAINTENANCE_DUE;
        }
        if (actions.stream().anyMatch(ActionResult::deviated)) {
            return Status.DEVIATED;
        }
        return actions.isEmpty() ? Status.HEALTHY : Status.HEALED;
    }
}
