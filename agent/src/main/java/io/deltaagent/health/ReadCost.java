package io.deltaagent.health;

/**
 * What reading the log cost. Request counts are null where the FileSystem keeps no such counters
 * (S3A does; the local FileSystem does not).
 *
 * @param snapshotMillis cold time to build the latest snapshot with a fresh log reader, nothing cached
 * @param scanMillis time to stream every active file of that snapshot
 * @param auditMillis the whole audit of this table, listing and history included
 * @param libraryLoadMillis the snapshot library's own load timing (Delta Kernel's metrics), a cross-check
 */
public record ReadCost(
        long snapshotMillis,
        long scanMillis,
        long auditMillis,
        Long listRequests,
        Long getRequests,
        Long headRequests,
        String countersSource,
        Long libraryLoadMillis) {
}
