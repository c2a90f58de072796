package io.deltaagent.jobs.result;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The {@code _delta_log/} directory around a checkpoint run, as listed through the Hadoop FileSystem
 * (every file under it, sub-directories included).
 *
 * @param objectsBefore files under {@code _delta_log/} before the run
 * @param bytesBefore their total size
 * @param objectsAfter files after the run
 * @param bytesAfter their total size
 * @param objectsDeleted files present before and gone after (expired commits and stale checkpoints)
 * @param checkpointVersion version of the checkpoint the table's {@code _last_checkpoint} names after the run
 * @param checkpointParts number of files of that checkpoint
 * @param expiredLogCleanup {@code RAN} or {@code DISABLED_BY_TABLE} ({@code delta.enableExpiredLogCleanup=false})
 * @param logRetention the table's {@code delta.logRetentionDuration} (Delta's default when unset)
 * @param checkpointRetention the table's {@code delta.checkpointRetentionDuration} (Delta's default when unset)
 * @param note a sentence for people, e.g. why nothing was deleted
 */
@JsonPropertyOrder({"objectsBefore", "bytesBefore", "objectsAfter", "bytesAfter", "objectsDeleted",
        "checkpointVersion", "checkpointParts", "expiredLogCleanup", "logRetention", "checkpointRetention", "note"})
public record LogDetails(
        long objectsBefore,
        long bytesBefore,
        long objectsAfter,
        long bytesAfter,
        long objectsDeleted,
        long checkpointVersion,
        int checkpointParts,
        String expiredLogCleanup,
        String logRetention,
        String checkpointRetention,
        String note) {

    public static final String CLEANUP_RAN = "RAN";
    public static final String CLEANUP_DISABLED = "DISABLED_BY_TABLE";

    public LogDetails {
        if (objectsBefore < 0 || objectsAfter < 0 || bytesBefore < 0 || bytesAfter < 0 || objectsDeleted < 0) {
            throw new IllegalArgumentException("log counts must be >= 0");
        }
    }
}
