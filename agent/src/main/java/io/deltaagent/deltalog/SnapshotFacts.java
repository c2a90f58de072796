package io.deltaagent.deltalog;

import io.deltaagent.health.DeletionVectors;
import io.deltaagent.health.FileStats;
import io.deltaagent.storage.RequestCounters;
import java.util.List;
import java.util.Map;

/**
 * What a snapshot library measured: the snapshot's identity and its active files.
 *
 * @param deletionVectors null when the library does not report them
 * @param libraryLoadMillis the library's own snapshot-load timing, a cross-check of snapshotMillis (null when none)
 */
public record SnapshotFacts(
        long version,
        String tableId,
        List<String> partitionColumns,
        Map<String, String> properties,
        FileStats files,
        DeletionVectors deletionVectors,
        long snapshotMillis,
        RequestCounters.Requests snapshotRequests,
        long scanMillis,
        Long libraryLoadMillis) {

    public SnapshotFacts {
        partitionColumns = List.copyOf(partitionColumns);
        properties = Map.copyOf(properties);
    }
}
