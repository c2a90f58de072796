package io.deltaagent.daemon;

import io.deltaagent.health.TableHealth;
import io.deltaagent.plan.MaintenancePlan;
import io.deltaagent.policy.Breach;
import java.time.Instant;
import java.util.List;

/**
 * What the daemon last knew of one table, for {@code /api/tables}: the latest audit (or the re-audit after a
 * job), the plan made from it and what admission decided.
 *
 * @param status HEALTHY, MAINTENANCE_DUE or ERROR
 * @param decisions admission's reasons from the latest cycle, one line each
 * @param error why the table could not be read, or null
 */
public record TableState(String table, String schedule, Instant auditedAt, String status, TableHealth health,
                         List<Breach> breaches, MaintenancePlan plan, List<String> decisions, String error) {
    public TableState {
        breaches = breaches == null ? List.of() : List.copyOf(breaches);
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }

    TableState withDecisions(List<String> lines) {
        return new TableState(table, schedule, auditedAt, status, health, breaches, plan, lines, error);
    }
}
