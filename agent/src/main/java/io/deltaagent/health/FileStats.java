package io.deltaagent.health;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * The table's active data files.
 *
 * @param smallFileThresholdBytes files below this size count as small
 * @param partitionsWithSmallFiles partitions holding at least the configured minimum of small files
 * @param worstPartitions the partitions with most small files, worst first (empty when unpartitioned)
 * @param compactionCandidates every partition with at least the minimum of small files (for planning; not in
 *                             the audit output, which lists the worst only)
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
        List<PartitionStat> worstPartitions,
        @JsonIgnore List<PartitionStat> compactionCandidates) {

    public FileStats {
        histogram = List.copyOf(histogram);
        worstPartitions = List.copyOf(worstPartitions);
        compactionCandidates = List.copyOf(compactionCandidates);
    }
}
