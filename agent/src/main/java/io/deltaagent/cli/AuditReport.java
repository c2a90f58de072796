package io.deltaagent.cli;

import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.config.TableSettings;
import java.time.Instant;
import java.util.Map;
import java.util.List;

/** A finished audit run: what the JSON output serialises and the text output renders. */
record AuditReport(Instant startedAt, long durationMs, List<AuditOutcome> outcomes, Map<String, TableSettings> settings) {

    AuditReport {
        outcomes = List.copyOf(outcomes);
        settings = Map.copyOf(settings);
    }

    long count(AuditOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    /** 1 when any table failed, else 3 when maintenance is due anywhere, else 0. */
    int exitCode() {
        if (count(AuditOutcome.Status.ERROR) > 0) {
            return ExitCode.TABLE_FAILED;
        }
        return count(AuditOutcome.Status.MAINTENANCE_DUE) > 0 ? ExitCode.MAINTENANCE_DUE : ExitCode.HEALTHY;
    }
}
