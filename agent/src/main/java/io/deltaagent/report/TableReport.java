package io.deltaagent.report;

import java.time.Instant;
import java.util.List;

/**
 * One table over a report's window: what maintenance ran and what it bought.
 *
 * @param status the last audit's status in the window (HEALTHY, MAINTENANCE_DUE, ERROR), or null without one
 * @param due why maintenance is still due, from the last audit, or null
 * @param writeAmplification bytes rewritten / small-file bytes planned, over the runs that report both; null without
 * @param cost estimated compute cost of the window's runs, per currency (empty without prices)
 * @param filesBefore files at the first audit of the window, {@code filesAfter} at the last (null without audits)
 * @param logReadMillisBefore log-read latency at the first audit of the window, {@code logReadMillisAfter} at the last
 * @param catalog what a catalog calls the table ({@code catalog:name}), or null when none does
 */
public record TableReport(String table, String status, String due, Instant lastAudit, int actions, int succeeded, int failed,
                          long filesRewritten, long bytesRewritten, Double writeAmplification, List<Money> cost,
                          Long filesBefore, Long filesAfter, Long logReadMillisBefore, Long logReadMillisAfter, String catalog) {

    /** The table with the catalog's name beside it. */
    public String label() {
        return catalog == null ? table : table + " (" + catalog + ")";
    }
}
