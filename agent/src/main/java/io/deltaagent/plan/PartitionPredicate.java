package io.deltaagent.plan;

import io.deltaagent.health.PartitionStat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A Spark SQL predicate that selects exactly the given partitions, for {@code OPTIMIZE ... WHERE}:
 * {@code `date` IN ('2024-01-01', '2024-01-02')} for one partition column,
 * {@code (`a` = 'x' AND `b` = 'y') OR (...)} for several. Partition values are strings in the log;
 * Spark casts the literals to the column's type.
 */
public final class PartitionPredicate {

    private PartitionPredicate() {
    }

    public static String of(List<String> partitionColumns, List<PartitionStat> partitions) {
        if (partitions.isEmpty()) {
            throw new IllegalArgumentException("no partitions to select");
        }
        if (partitionColumns.size() == 1) {
            String column = identifier(partitionColumns.get(0));
            List<String> values = partitions.stream().map(p -> p.values().get(partitionColumns.get(0))).toList();
            String in = values.stream().filter(v -> v != null).map(PartitionPredicate::literal)
                    .collect(Collectors.joining(", "));
            boolean hasNull = values.stream().anyMatch(v -> v == null);
            String inClause = in.isEmpty() ? "" : column + " IN (" + in + ")";
            String nullClause = hasNull ? column + " IS NULL" : "";
            return inClause.isEmpty() ? nullClause : nullClause.isEmpty() ? inClause : inClause + " OR " + nullClause;
        }
        return partitions.stream().map(p -> "(" + conjunction(partitionColumns, p.values()) + ")")
                .collect(Collectors.joining(" OR "));
    }

    private static String conjunction(List<String> columns, Map<String, String> values) {
        return columns.stream().map(c -> values.get(c) == null ? identifier(c) + " IS NULL"
                : identifier(c) + " = " + literal(values.get(c))).collect(Collectors.joining(" AND "));
    }

    static String identifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
