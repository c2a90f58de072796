package io.deltaagent.jobs.table;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What the job knows about a table at one version: shape, size and the retention properties Delta applies
 * (table values, or Delta's defaults when a property is unset).
 *
 * @param uri the table URI as given
 * @param location the fully qualified table path
 * @param version the latest committed version
 * @param partitionColumns partition column names in table order
 * @param columns every column as a dotted path ({@code a}, {@code s}, {@code s.x}), partition columns included
 * @param sizeInBytes total bytes of the data files in the snapshot
 * @param numFiles data files in the snapshot
 * @param logRetention {@code delta.logRetentionDuration}
 * @param deletedFileRetention {@code delta.deletedFileRetentionDuration}
 * @param checkpointRetention {@code delta.checkpointRetentionDuration}
 * @param expiredLogCleanup {@code delta.enableExpiredLogCleanup}
 * @param clusteringColumns the liquid clustering columns (dotted paths), empty for a table that is not clustered
 */
public record TableState(
        String uri,
        String location,
        long version,
        List<String> partitionColumns,
        List<String> columns,
        long sizeInBytes,
        long numFiles,
        Duration logRetention,
        Duration deletedFileRetention,
        Duration checkpointRetention,
        boolean expiredLogCleanup,
        List<String> clusteringColumns) {

    /** A table without liquid clustering. */
    public TableState(String uri, String location, long version, List<String> partitionColumns, List<String> columns,
                      long sizeInBytes, long numFiles, Duration logRetention, Duration deletedFileRetention,
                      Duration checkpointRetention, boolean expiredLogCleanup) {
        this(uri, location, version, partitionColumns, columns, sizeInBytes, numFiles, logRetention, deletedFileRetention,
                checkpointRetention, expiredLogCleanup, List.of());
    }

    public TableState {
        clusteringColumns = List.copyOf(clusteringColumns);
        requireNonNull(uri, "uri");
        requireNonNull(location, "location");
        partitionColumns = List.copyOf(partitionColumns);
        columns = List.copyOf(columns);
        requireNonNull(logRetention, "logRetention");
        requireNonNull(deletedFileRetention, "deletedFileRetention");
        requireNonNull(checkpointRetention, "checkpointRetention");
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0");
        }
    }

    public boolean clustered() {
        return !clusteringColumns.isEmpty();
    }

    public boolean partitioned() {
        return !partitionColumns.isEmpty();
    }
}
