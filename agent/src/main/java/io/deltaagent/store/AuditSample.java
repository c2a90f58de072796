package io.deltaagent.store;

import java.time.Instant;

/**
 * One audit of one table as the trend keeps it (audit_sample). The figures are null for a table that could not be read
 * ({@code status} ERROR, {@code errorKind} says why).
 *
 * @param resolution {@code raw} (every audit), {@code hour} or {@code day} (the last audit of that hour or day, kept
 *                   once older samples are thinned)
 * @param due why maintenance is due ("min-small-files -> OPTIMIZE; ..."), or null
 */
public record AuditSample(String table, Instant sampledAt, String resolution, String status, Long version, Long files,
                          Long totalBytes, Long smallFiles, Long commitsSinceCheckpoint, Long logObjects, Long logReadMillis,
                          String reader, String errorKind, String due) {

    /** A sample without the reasons maintenance is due. */
    public AuditSample(String table, Instant sampledAt, String resolution, String status, Long version, Long files,
                       Long totalBytes, Long smallFiles, Long commitsSinceCheckpoint, Long logObjects, Long logReadMillis,
                       String reader, String errorKind) {
        this(table, sampledAt, resolution, status, version, files, totalBytes, smallFiles, commitsSinceCheckpoint, logObjects,
                logReadMillis, reader, errorKind, null);
    }

    public static final String RAW = "raw";
    public static final String HOUR = "hour";
    public static final String DAY = "day";
}
