package io.deltaagent.store;

import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.health.TableHealth;
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

    /** The sample of {@code outcome}, audited at {@code at}. */
    public static AuditSample of(AuditOutcome outcome, Instant at) {
        TableHealth h = outcome.health();
        if (h == null) {
            return new AuditSample(outcome.table(), at, RAW, outcome.status().name(), null, null, null, null, null, null, null, null,
                    outcome.error().kind().name(), null);
        }
        String due = outcome.breaches().isEmpty() ? null : String.join("; ", outcome.breaches().stream()
                .map(b -> b.threshold() + " -> " + b.action()).distinct().toList());
        return new AuditSample(outcome.table(), at, RAW, outcome.status().name(), h.identity().version(), h.files().activeFiles(),
                h.files().totalBytes(), h.files().smallFiles(), h.log().commitsSinceCheckpoint(), h.log().objects(),
                h.readCost().snapshotMillis(), h.reader(), null, due);
    }
}
