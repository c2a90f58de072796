package io.deltaagent.jobs.request;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compact small files (bin-packing) or, when {@code zOrderBy} is not empty, rewrite them Z-ordered.
 *
 * @param table the table URI
 * @param where a partition predicate limiting the rewrite, or null for the whole table
 * @param zOrderBy data columns to Z-order by; empty for plain compaction
 */
public record OptimizeRequest(String table, String where, List<String> zOrderBy) implements JobRequest {
    public OptimizeRequest {
        table = JobRequest.requireTable(table);
        if (where != null && where.isBlank()) {
            throw new IllegalArgumentException("--where must not be blank");
        }
        where = where == null ? null : where.strip();
        zOrderBy = zOrderBy == null ? List.of() : zOrderBy.stream().map(String::strip).toList();
        Set<String> seen = new HashSet<>();
        for (String column : zOrderBy) {
            if (column.isEmpty()) {
                throw new IllegalArgumentException("--zorder-by has an empty column name");
            }
            if (!seen.add(column.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--zorder-by names column '" + column + "' twice");
            }
        }
    }

    @Override
    public String action() {
        return "optimize";
    }

    public boolean zOrder() {
        return !zOrderBy.isEmpty();
    }
}
