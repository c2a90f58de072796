package io.deltaagent.daemon;

import io.deltaagent.config.CatalogTableRef;
import io.deltaagent.health.TableHealth;
import io.deltaagent.plan.MaintenancePlan;
import io.deltaagent.policy.Breach;
import java.time.Instant;
import java.util.List;

/**
 * What the daemon last knew of one table, for {@code /api/tables}: the latest audit (or the re-audit after a
 * job), the plan made from it and what admission decided.
 *
 * @param status HEALTHY, MAINTENANCE_DUE, NOT_MAINTAINABLE (audited; the plan says why nothing is maintained) or ERROR
 * @param decisions admission's reasons from the latest cycle, one line each
 * @param error why the table could not be read, or null
 * @param catalog what a catalog calls the table, or null when none does (or none was asked)
 */
public record TableState(String table, String schedule, Instant auditedAt, String status, TableHealth health,
                         List<Breach> breaches, MaintenancePlan plan, List<String> decisions, String error,
                         CatalogTableRef catalog) {
    public TableState {
        breaches = breaches == null ? List.of() : List.copyOf(breaches);
        decisions = decisions == null ? List.of() : List.copyOf(decisions);
    }

    public TableState(String table, String schedule, Instant auditedAt, String status, TableHealth health,
                      List<Breach> breaches, MaintenancePlan plan, List<String> decisions, String error) {
        this(table, schedule, auditedAt, status, health, breaches, plan, decisions, error, null);
    }

    TableState withDecisions(List<String> lines) {
        return new TableState(table, schedule, auditedAt, status, health, breaches, plan, lines, error, catalog);
    }

    TableState withCatalog(CatalogTableRef ref) {
        return new TableState(table, schedule, auditedAt, status, health, breaches, plan, decisions, error, ref);
    }
}
