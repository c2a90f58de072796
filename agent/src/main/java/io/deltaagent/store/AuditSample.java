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
 */
public record AuditSample(String table, Instant sampledAt, String resolution, String status, Long version, Long files,
                          Long totalBytes, Long smallFiles, Long commitsSinceCheckpoint, Long logObjects, Long logReadMillis,
                          String reader, String errorKind) {

    public static final String RAW = "raw";
    public static final String HOUR = "hour";
    public static final String DAY = "day";

    /** The sample of {@code outcome}, audited at {@code at}. */
    public static AuditSample of(AuditOutcome outcome, Instant at) {
        TableHealth h = outcome.health();
        if (h == null) {
            return new AuditSample(outcome.table(), at, RAW, outcome.status().name(), null, null, null, null, null, null, null, null,
                    outcome.error().kind().name());
        }
        return new AuditSample(outcome.table(), at, RAW, outcome.status().name(), h.identity().version(), h.files().activeFiles(),
                h.files().totalBytes(), h.files().smallFiles(), h.log().commitsSinceCheckpoint(), h.log().objects(),
                h.readCost().snapshotMillis(), h.reader(), null);
    }
}
