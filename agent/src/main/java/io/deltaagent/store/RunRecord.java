package io.deltaagent.store;

import java.time.Instant;

/**
 * One maintenance run as stored. JSON columns are kept as text: the planned action, the job's result
 * document and the health before and after (TableHealth JSON).
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
        String error) {
}
