package io.deltaagent.plan;

import io.deltaagent.policy.Breach;
import io.deltaagent.policy.MaintenanceAction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One maintenance action of a plan, with the breaches that justify it.
 *
 * @param where the partition predicate OPTIMIZE is limited to, null for the whole table
 * @param zorderBy columns for OPTIMIZE_ZORDER, empty otherwise
 * @param vacuumRetention the retention VACUUM keeps, null for other actions
 * @param skippedPartitions partitions left out because they were written within the hot-partition window
 */
public record PlannedAction(
        MaintenanceAction action,
        String where,
        List<String> zorderBy,
        Duration vacuumRetention,
        List<Breach> reasons,
        Expectation expected,
        List<String> skippedPartitions) {

    public PlannedAction {
        Objects.requireNonNull(action, "action");
        zorderBy = List.copyOf(zorderBy);
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(expected, "expected");
        skippedPartitions = List.copyOf(skippedPartitions);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("an action needs at least one breach that justifies it");
        }
    }
}
