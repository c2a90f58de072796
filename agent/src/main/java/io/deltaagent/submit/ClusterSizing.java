package io.deltaagent.submit;

/**
 * How many workers a job's cluster gets: one per {@code bytesPerWorker} of data it rewrites, at least
 * {@code minWorkers}, at most {@code maxWorkers}. The cluster exists for that one job, so there is no idle floor.
 */
public record ClusterSizing(long bytesPerWorker, int minWorkers, int maxWorkers) {

    public static final ClusterSizing DEFAULT = new ClusterSizing(16L << 30, 1, 20);

    public ClusterSizing {
        if (bytesPerWorker <= 0) {
            throw new IllegalArgumentException("bytes per worker must be positive, got " + bytesPerWorker);
        }
        if (minWorkers < 1 || maxWorkers < minWorkers) {
            throw new IllegalArgumentException("workers must satisfy 1 <= min <= max, got min " + minWorkers + ", max " + maxWorkers);
        }
    }

    public int workers(long bytesToRewrite) {
        long needed = bytesToRewrite <= 0 ? 0 : (bytesToRewrite + bytesPerWorker - 1) / bytesPerWorker;
        return (int) Math.max(minWorkers, Math.min(maxWorkers, needed));
    }
}
