package io.deltaagent.plan;

/**
 * The file sizes an OPTIMIZE job works with: the agent's own, so the job rewrites what the plan counted.
 *
 * @param minFileSize files at or above this are never picked by bin-packing (the small-file size)
 * @param maxFileSize bins are packed up to this, so no file written exceeds it by more than Delta's slack (the target)
 * @param maxBytesPerCommit when the job rewrites more than max-bytes-per-job in one partition or unpartitioned table,
 *                          it commits after every this many bytes (Delta's optimize.batchSize); null otherwise
 */
public record RewriteSizes(long minFileSize, long maxFileSize, Long maxBytesPerCommit) {
    public RewriteSizes {
        if (minFileSize < 1 || maxFileSize < minFileSize) {
            throw new IllegalArgumentException("rewrite sizes need 1 <= min-file-size <= max-file-size, got " + minFileSize
                    + " and " + maxFileSize);
        }
        if (maxBytesPerCommit != null && maxBytesPerCommit < 1) {
            throw new IllegalArgumentException("max bytes per commit must be positive, got " + maxBytesPerCommit);
        }
    }
}
