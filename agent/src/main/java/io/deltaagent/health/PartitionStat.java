package io.deltaagent.health;

/** Files of one partition; {@code partition} is in Hive form, e.g. {@code date=2024-01-01/hour=3}. */
public record PartitionStat(String partition, long files, long bytes, long smallFiles, long smallFileBytes) {
}
