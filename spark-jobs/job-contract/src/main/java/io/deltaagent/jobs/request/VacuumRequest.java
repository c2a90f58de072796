package io.deltaagent.jobs.request;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Delete files the table no longer references and that are older than the retention.
 *
 * @param table the table URI
 * @param retention how long unreferenced files are kept
 * @param retentionText the retention as the user wrote it, echoed in the result
 * @param dryRun list what would be deleted, delete nothing
 * @param allowBelowFloor accept a retention below the safety floor (breaks time travel and readers)
 */
public record VacuumRequest(String table, Duration retention, String retentionText, boolean dryRun,
        boolean allowBelowFloor) implements JobRequest {
    public VacuumRequest {
        table = JobRequest.requireTable(table);
        requireNonNull(retention, "retention");
        requireNonNull(retentionText, "retentionText");
        if (retention.isNegative()) {
            throw new IllegalArgumentException("--retain must not be negative");
        }
    }

    @Override
    public String action() {
        return "vacuum";
    }
}
