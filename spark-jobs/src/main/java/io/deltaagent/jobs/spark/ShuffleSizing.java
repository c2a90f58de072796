package io.deltaagent.jobs.spark;

/**
 * Shuffle and listing parallelism sized from the input, so a 2 GB table does not get 200 tiny shuffle
 * partitions and a 2 TB table does not get 200 huge ones. AQE then coalesces what turns out too small.
 *
 * @param advisoryPartitionBytes AQE's target shuffle partition size
 * @param shufflePartitions initial shuffle partitions: input bytes / advisory size, at least the cluster's
 *     parallelism, at most {@link #MAX_PARTITIONS}
 * @param listingParallelism tasks for listing the table directory (VACUUM): one per {@link #FILES_PER_LISTING_TASK}
 *     files, at least the cluster's parallelism, at most {@link #MAX_PARTITIONS}
 */
public record ShuffleSizing(long advisoryPartitionBytes, int shufflePartitions, int listingParallelism) {
    public static final long ADVISORY_PARTITION_BYTES = 128L * 1024 * 1024;
    public static final int MAX_PARTITIONS = 10_000;
    public static final long FILES_PER_LISTING_TASK = 2_000;

    public ShuffleSizing {
        if (advisoryPartitionBytes <= 0 || shufflePartitions <= 0 || listingParallelism <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
    }

    /**
     * @param inputBytes bytes the job will read
     * @param inputFiles files in the table
     * @param parallelism the cluster's default parallelism (total cores)
     */
    public static ShuffleSizing forInput(long inputBytes, long inputFiles, int parallelism) {
        int floor = Math.max(1, Math.min(parallelism, MAX_PARTITIONS));
        long byBytes = ceilDiv(Math.max(0, inputBytes), ADVISORY_PARTITION_BYTES);
        long byFiles = ceilDiv(Math.max(0, inputFiles), FILES_PER_LISTING_TASK);
        return new ShuffleSizing(ADVISORY_PARTITION_BYTES, clamp(byBytes, floor), clamp(byFiles, floor));
    }

    private static int clamp(long wanted, int floor) {
        return (int) Math.max(floor, Math.min(wanted, MAX_PARTITIONS));
    }

    private static long ceilDiv(long a, long b) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }
}
