package io.deltaagent.audit;

import io.deltaagent.error.TableReadException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.policy.Breach;
import io.deltaagent.store.AuditSample;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The audit of one table: its health and breaches, or why it could not be read.
 *
 * @param health null when the table could not be read
 * @param error null when it could
 */
public record AuditOutcome(String table, TableHealth health, List<Breach> breaches, TableReadException error) {

    /** How the table stands. */
    public enum Status { HEALTHY, MAINTENANCE_DUE, ERROR }

    public AuditOutcome {
        Objects.requireNonNull(table, "table");
        breaches = List.copyOf(breaches);
        if ((health == null) == (error == null)) {
            throw new IllegalArgumentException("an outcome has either health or an error");
        }
    }

    public static AuditOutcome measured(TableHealth health, List<Breach> breaches) {
        return new AuditOutcome(health.table(), health, breaches, null);
    }

    public static AuditOutcome failed(TableReadException error) {
        return new AuditOutcome(error.table(), null, List.of(), error);
    }

    public Status status() {
        if (error != null) {
            return Status.ERROR;
        }
        return breaches.isEmpty() ? Status.HEALTHY : Status.MAINTENANCE_DUE;
    }

    /** True when the audit was cut off at its audit-timeout. */
    public boolean timedOut() {
        return error != null && error.kind() == TableReadException.Kind.TIMED_OUT;
    }

    /** This audit as the trend keeps it (audit_sample), audited at {@code at}. */
    public AuditSample sample(Instant at) {
        if (health == null) {
            return new AuditSample(table, at, AuditSample.RAW, status().name(), null, null, null, null, null, null, null, null,
                    error.kind().name(), null);
        }
        String due = breaches.isEmpty() ? null : String.join("; ", breaches.stream()
                .map(b -> b.threshold() + " -> " + b.action()).distinct().toList());
        return new AuditSample(table, at, AuditSample.RAW, status().name(), health.identity().version(), health.files().activeFiles(),
                health.files().totalBytes(), health.files().smallFiles(), health.log().commitsSinceCheckpoint(), health.log().objects(),
                health.readCost().snapshotMillis(), health.reader(), null, due);
    }
}
