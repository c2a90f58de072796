package io.deltaagent.store;

import java.time.Instant;

/**
 * One maintenance run as stored. JSON columns are kept as text: the planned action, the job's result
 * document and the health before and after (TableHealth JSON).
 *
 * @param jobHandle the backend's handle of the job (local: its result file), null for runs of the CLI
 * @param owner the daemon instance that submitted the run, null for the CLI
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
        String owner) {
}
