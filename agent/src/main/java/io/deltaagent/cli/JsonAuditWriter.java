package io.deltaagent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.catalog.CatalogListing;
import io.deltaagent.health.TableHealth;
import io.deltaagent.policy.Breach;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

/**
 * The audit as one JSON document on one line (the schema is documented in docs/AUDIT-JSON.md;
 * {@code schemaVersion} changes only when a field is removed or changes meaning).
 */
final class JsonAuditWriter {

    static final int SCHEMA_VERSION = 1;

    record Summary(long tables, long healthy, long maintenanceDue, long errors) {
    }

    record ErrorJson(String kind, String message) {
    }

    /** What a catalog calls the table: the catalog's name in the config and the table's name there. */
    record CatalogJson(String name, String table) {
    }

    record TableJson(String table, CatalogJson catalog, AuditOutcome.Status status, TableHealth health, List<Breach> breaches, ErrorJson error) {
    }

    record Document(int schemaVersion, String command, String agentVersion, Instant startedAt, long durationMs,
                    int exitCode, Summary summary, List<TableJson> tables, List<CatalogListing> catalogs) {
    }

    /** Writes {@code report} as one line; {@code exitCode} is the process's, after {@code --on-due}. */
    void write(AuditReport report, int exitCode, PrintStream out) {
        List<TableJson> tables = report.outcomes().stream().map(o -> new TableJson(o.table(), report.catalogOf(o.table()), o.status(), o.health(),
                o.breaches(), o.error() == null ? null : new ErrorJson(o.error().kind().name(), o.error().getMessage()))).toList();
        Document doc = new Document(SCHEMA_VERSION, "audit", Version.current(), report.startedAt(), report.durationMs(),
                exitCode, new Summary(report.outcomes().size(), report.count(AuditOutcome.Status.HEALTHY),
                report.count(AuditOutcome.Status.MAINTENANCE_DUE), report.count(AuditOutcome.Status.ERROR)), tables, report.catalogs());
        try {
            out.println(Json.MAPPER.writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the audit report", e);
        }
    }
}
