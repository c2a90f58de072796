package io.deltaagent.store;

import java.time.Instant;

/**
 * One maintenance run as stored. JSON columns are kept as text: the planned action, the job's result
 * document and the health before and after (TableHealth JSON).
 *
 * @param jobHandle the backend's handle of the job (local: its result file), null for runs of the CLI
 * @param owner the daemon instance that submitted the run, null for the CLI
 * @param unit which unit of a split action this run is (1 for an action that is not split; 1 for runs from before units)
 * @param units how many units the action was planned in
 * @param check the run's prediction beside what it did; null for runs recorded before predictions were kept
 * @param tableId the Delta table id the audit before the run read; null for runs recorded before it was kept
 * @param commitTag the commitInfo.userMetadata its job's commits carry; null for runs recorded before it was kept
 * @param forced whether {@code maintain --force} ran it past the cooldown and the no-progress guard
 * @param stoppedBy what asked the agent to stop while its job was in flight (SIGTERM, SIGINT), or null: a run whose job
 *                  had finished then is SUCCEEDED all the same
 */
public record RunRecord(
        long id,
        String table,
        String action,
        String plannedAction,
        String backend,
        String clusterSpec,
        long tableVersionBefore,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt,
        RunState state,
        String jobResult,
        String healthBefore,
        String healthAfter,
        Long commitVersion,
        String error,
        String jobHandle,
        String owner,
        int unit,
        int units,
        RunCheck check,
        String tableId,
        boolean forced,
        String commitTag,
        String stoppedBy) {

    /** The figures of the health measured before the run; null when unreadable. */
    public HealthFigures before() {
        return HealthFigures.parse(healthBefore);
    }

    /** The figures of the health re-measured after the run; null when there is none. */
    public HealthFigures after() {
        return HealthFigures.parse(healthAfter);
    }

    /** True when the plan this run belongs to continues with a later unit of the same action. */
    public boolean moreUnitsFollow() {
        return unit < units;
    }
}
