package io.deltaagent.jobs.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads the commits of a version range from a table's history (DESCRIBE HISTORY). */
public final class DeltaHistory {
    /** Upper bound on commits read back; a run's own commits are among the newest. */
    static final int MAX_COMMITS = 1000;

    private DeltaHistory() {
    }

    /** One commit: its version, operation name and the operation metrics Delta recorded for it. */
    public record Commit(long version, String operation, Map<String, String> metrics) {
        public Optional<Long> metric(String name) {
            String value = metrics.get(name);
            if (value == null) {
                return Optional.empty();
            }
            try {
                return Optional.of(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /** Commits with {@code after < version <= upTo}, newest first. */
    public static List<Commit> between(SparkSession spark, String location, long after, long upTo) {
        List<Commit> commits = new ArrayList<>();
        if (upTo <= after) {
            return commits;
        }
        // slack for commits other writers made after upTo, which history() returns first
        int limit = (int) Math.min(upTo - after + 50, MAX_COMMITS);
        List<Row> rows = io.delta.tables.DeltaTable.forPath(spark, location).history(limit)
                .select("version", "operation", "operationMetrics").collectAsList();
        for (Row row : rows) {
            long version = row.getLong(0);
            if (version > after && version <= upTo) {
                scala.collection.Map<String, String> metrics = row.isNullAt(2) ? null : row.getMap(2);
                commits.add(new Commit(version, row.getString(1), metrics == null ? Map.of() : Scala.map(metrics)));
            }
        }
        return commits;
    }

    /** The newest commit in the range whose operation is {@code operation}. */
    public static Optional<Commit> newest(List<Commit> commits, String operation) {
        return commits.stream().filter(c -> operation.equals(c.operation()))
                .max((a, b) -> Long.compare(a.version(), b.version()));
    }
}
