package io.deltaagent.health;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files of one partition.
 *
 * @param partition Hive form for people, e.g. {@code date=2024-01-01/hour=3}
 * @param values the partition values by column, in partition-column order (a null value is a null partition)
 * @param lastModified the newest file's modification time: when the partition was last written
 */
public record PartitionStat(String partition, Map<String, String> values, long files, long bytes, long smallFiles,
                            long smallFileBytes, Instant lastModified) {
    public PartitionStat {
        // LinkedHashMap keeps column order and allows null values (a null partition)
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
