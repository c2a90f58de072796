package io.deltaagent.cli;

import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.catalog.CatalogListing;
import io.deltaagent.config.CatalogTableRef;
import io.deltaagent.config.TableSettings;
import java.time.Instant;
import java.util.Map;
import java.util.List;

/** A finished audit run: what the JSON output serialises and the text output renders. */
record AuditReport(Instant startedAt, long durationMs, List<AuditOutcome> outcomes, Map<String, TableSettings> settings,
                   Map<String, CatalogTableRef> catalogNames, List<CatalogListing> catalogs) {

    AuditReport {
        outcomes = List.copyOf(outcomes);
        settings = Map.copyOf(settings);
        catalogNames = Map.copyOf(catalogNames);
        catalogs = List.copyOf(catalogs);
    }

    /** The catalog's name for {@code table} in the JSON shape, or null when no catalog named it. */
    JsonAuditWriter.CatalogJson catalogOf(String table) {
        CatalogTableRef ref = catalogNames.get(table);
        return ref == null ? null : new JsonAuditWriter.CatalogJson(ref.catalog(), ref.table());
    }

    /** The table with the catalog's name beside it, for text output. */
    String label(String table) {
        CatalogTableRef ref = catalogNames.get(table);
        return ref == null ? table : table + " (" + ref + ")";
    }

    long count(AuditOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status).count();
    }

    /**
     * 75 when every table (and catalog) failed for a transient cause (nothing could be measured: retry later), else 1
     * when any table failed, else 3 when maintenance is due anywhere, else 0.
     */
    int exitCode() {
        if (count(AuditOutcome.Status.ERROR) > 0) {
            return ExitCode.ofTableFailures(outcomes.stream().map(AuditOutcome::error).filter(java.util.Objects::nonNull).toList(),
                    outcomes.size(), true);
        }
        return count(AuditOutcome.Status.MAINTENANCE_DUE) > 0 ? ExitCode.MAINTENANCE_DUE : ExitCode.HEALTHY;
    }
}
