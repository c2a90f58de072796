package io.deltaagent.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A run about to be submitted, as recorded before its job starts.
 *
 * @param table the table's canonical path (storage.TablePaths)
 * @param tableId the Delta table id (metaData.id) the audit read, null when unknown
 * @param jobHandle the backend's handle of the job, null when the backend cannot follow a job again
 * @param owner the daemon instance that submits it, or the CLI process ({@code cli:host:pid})
 * @param forced whether {@code maintain --force} ran it past the cooldown and no-progress guard
 * @param commitTag the commitInfo.userMetadata its job's commits carry, null when unknown
 */
public record NewRun(String table, String tableId, String action, String plannedAction, String backend, String clusterSpec,
                     long tableVersionBefore, Instant submittedAt, String healthBefore, String jobHandle, String owner,
                     boolean forced, String commitTag) {

    public NewRun {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(plannedAction, "plannedAction");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(healthBefore, "healthBefore");
    }
}
