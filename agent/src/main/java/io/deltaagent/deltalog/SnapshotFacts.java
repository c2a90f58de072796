package io.deltaagent.deltalog;

import io.deltaagent.health.DeletionVectors;
import io.deltaagent.health.FileStats;
import io.deltaagent.health.ReadCost;
import io.deltaagent.storage.RequestCounters;
import java.util.List;
import java.util.Map;

/**
 * What a snapshot library measured: the snapshot's identity and its active files.
 *
 * @param deletionVectors null when the library does not report them
 * @param libraryLoadMillis the library's own snapshot-load timing, a cross-check of snapshotMillis (null when none)
 * @param mode how the files were read: {@link ReadCost#FULL} or {@link ReadCost#CHECKSUM_PROVEN}
 * @param fullReason why a shortcut that was tried fell back to the full read; null otherwise
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
        Long libraryLoadMillis,
        String mode,
        String fullReason) {

    public SnapshotFacts {
        partitionColumns = List.copyOf(partitionColumns);
        properties = Map.copyOf(properties);
        java.util.Objects.requireNonNull(mode, "mode");
    }

    /** A full read (every library's, and the projected reader's unless a shortcut held). */
    public SnapshotFacts(long version, String tableId, List<String> partitionColumns, Map<String, String> properties,
                         FileStats files, DeletionVectors deletionVectors, long snapshotMillis,
                         RequestCounters.Requests snapshotRequests, long scanMillis, Long libraryLoadMillis) {
        this(version, tableId, partitionColumns, properties, files, deletionVectors, snapshotMillis, snapshotRequests,
                scanMillis, libraryLoadMillis, ReadCost.FULL, null);
    }
}
