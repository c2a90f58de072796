package io.deltaagent.plan;

import io.deltaagent.policy.Breach;
import io.deltaagent.policy.MaintenanceAction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One maintenance action of a plan, with the breaches that justify it. A large OPTIMIZE is split into units: jobs of
 * bounded size, each its own commit, run in order; unit and units say which of them this is.
 *
 * @param where the partition predicate OPTIMIZE is limited to, null for the whole table
 * @param zorderBy columns for OPTIMIZE_ZORDER, empty otherwise
 * @param vacuumRetention the retention VACUUM keeps, null for other actions
 * @param skippedPartitions partitions left out because they were written within the hot-partition window
 * @param sizes the file sizes an OPTIMIZE job uses, null for other actions
 * @param unit this unit's number, from 1
 * @param units how many units the action was split into (1 for an action that is not split)
 */
public record PlannedAction(
        MaintenanceAction action,
        String where,
        List<String> zorderBy,
        Duration vacuumRetention,
        List<Breach> reasons,
        Expectation expected,
        List<String> skippedPartitions,
        RewriteSizes sizes,
        int unit,
        int units) {

    public PlannedAction {
        Objects.requireNonNull(action, "action");
        zorderBy = List.copyOf(zorderBy);
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(expected, "expected");
        skippedPartitions = List.copyOf(skippedPartitions);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("an action needs at least one breach that justifies it");
        }
        if (unit < 1 || unit > units) {
            throw new IllegalArgumentException("unit " + unit + " of " + units + " is not a unit");
        }
    }

    /** " (unit 2 of 3)" for a unit of a split action, "" otherwise: how every log line, note and listing names a unit. */
    public static String unitText(int unit, int units) {
        return units == 1 ? "" : " (unit " + unit + " of " + units + ")";
    }

    /** This unit, as {@link #unitText(int, int)} names it. */
    public String unitText() {
        return unitText(unit, units);
    }

    /** An action that is not split into units and rewrites no data files. */
    public PlannedAction(MaintenanceAction action, String where, List<String> zorderBy, Duration vacuumRetention,
                         List<Breach> reasons, Expectation expected, List<String> skippedPartitions) {
        this(action, where, zorderBy, vacuumRetention, reasons, expected, skippedPartitions, null, 1, 1);
    }

    /** True when a later unit of the same action follows this one in the plan. */
    public boolean moreUnitsFollow() {
        return unit < units;
    }
}
