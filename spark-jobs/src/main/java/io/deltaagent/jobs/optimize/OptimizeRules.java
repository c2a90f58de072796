package io.deltaagent.jobs.optimize;

import io.deltaagent.jobs.error.InvalidInputException;
import io.deltaagent.jobs.table.TableState;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What OPTIMIZE accepts, checked before any work: a {@code --where} may only name partition columns (OPTIMIZE
 * selects whole partitions), and {@code --zorder-by} columns must be data columns of the table. Column names
 * compare case-insensitively, as Spark resolves them by default.
 */
public final class OptimizeRules {
    private static final int MAX_LISTED_COLUMNS = 40;

    private OptimizeRules() {
    }

    /**
     * @param where the predicate as given, for messages
     * @param references the column names the predicate uses (multi-part names joined by dots)
     */
    public static void checkWhere(TableState table, String where, List<String> references) {
        if (!table.partitioned()) {
            throw new InvalidInputException(table.uri() + ": --where '" + where + "' cannot be used: the table is "
                    + "not partitioned, and OPTIMIZE's WHERE may only select partitions. Drop --where to compact "
                    + "the whole table.");
        }
        for (String reference : references) {
            String column = reference.contains(".") ? reference.substring(0, reference.indexOf('.')) : reference;
            if (find(table.partitionColumns(), column).isPresent()) {
                continue;
            }
            boolean dataColumn = find(table.columns(), reference).isPresent()
                    || find(table.columns(), column).isPresent();
            throw new InvalidInputException(table.uri() + ": --where '" + where + "' references column '" + reference
                    + "', which " + (dataColumn ? "is not a partition column" : "the table does not have")
                    + "; OPTIMIZE's WHERE may only use partition columns: " + table.partitionColumns() + ".");
        }
    }

    public static void checkZOrder(TableState table, List<String> zOrderBy) {
        if (!zOrderBy.isEmpty() && table.clustered()) {
            throw new InvalidInputException(table.uri() + ": --zorder-by " + String.join(",", zOrderBy) + " cannot be used: the "
                    + "table is liquid-clustered by " + table.clusteringColumns() + ", and OPTIMIZE clusters it by those "
                    + "columns. Drop --zorder-by (change the clustering with ALTER TABLE ... CLUSTER BY).");
        }
        for (String column : zOrderBy) {
            if (find(table.partitionColumns(), column).isPresent()) {
                throw new InvalidInputException(table.uri() + ": --zorder-by column '" + column + "' is a partition "
                        + "column; Z-ordering sorts data within each partition, so name data columns instead: "
                        + listed(dataColumns(table)) + ".");
            }
            if (find(table.columns(), column).isEmpty()) {
                throw new InvalidInputException(table.uri() + ": --zorder-by column '" + column + "' does not "
                        + "exist in the table; its data columns are " + listed(dataColumns(table)) + ".");
            }
        }
    }

    private static List<String> dataColumns(TableState table) {
        return table.columns().stream().filter(c -> find(table.partitionColumns(), c).isEmpty()).toList();
    }

    private static Optional<String> find(List<String> names, String wanted) {
        String lower = wanted.toLowerCase(Locale.ROOT);
        return names.stream().filter(n -> n.toLowerCase(Locale.ROOT).equals(lower)).findFirst();
    }

    private static String listed(List<String> columns) {
        if (columns.size() <= MAX_LISTED_COLUMNS) {
            return columns.toString();
        }
        return columns.stream().limit(MAX_LISTED_COLUMNS).collect(Collectors.joining(", ", "[", ", ...]"))
                + " (" + columns.size() + " in all)";
    }
}
