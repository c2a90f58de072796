package io.deltaagent.health;

import java.util.List;

/**
 * The table's active data files.
 *
 * @param smallFileThresholdBytes files below this size count as small
 * @param partitionsWithSmallFiles partitions holding at least the configured minimum of small files
 * @param worstPartitions the partitions with most small files, worst first (empty when unpartitioned)
 */
public record FileStats(
        long activeFiles,
        long totalBytes,
        long averageBytes,
        long medianBytes,
        long smallFileThresholdBytes,
        long smallFiles,
        long smallFileBytes,
        long maxSmallFilesInPartition,
        List<SizeBucket> histogram,
        long partitions,
        long partitionsWithSmallFiles,
        List<PartitionStat> worstPartitions) {

    public FileStats {
        histogram = List.copyOf(histogram);
        worstPartitions = List.copyOf(worstPartitions);
    }
}
