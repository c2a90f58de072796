package io.deltaagent.report;

import java.time.Instant;
import java.util.List;

/**
 * The fleet over a report's window ({@code since} to {@code until}): the sums of its tables, and the tables still due.
 *
 * @param dueTables the tables whose last audit in the window found maintenance due, with why
 */
public record FleetReport(Instant since, Instant until, int tables, int actions, int succeeded, int failed, long filesRewritten,
                          long bytesRewritten, Double writeAmplification, List<Money> cost, List<String> dueTables,
                          List<TableReport> perTable) {
}
