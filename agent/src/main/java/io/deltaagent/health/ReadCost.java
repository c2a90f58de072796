package io.deltaagent.health;

/**
 * What reading the log cost. Request counts are null where the FileSystem keeps no such counters
 * (S3A does; the local FileSystem does not).
 *
 * @param snapshotMillis cold time to build the latest snapshot with a fresh log reader, nothing cached; an incremental
 *                       re-audit builds none and carries the figure of the table's last full read
 * @param scanMillis time to stream every active file of that snapshot (of the last full read, likewise)
 * @param auditMillis the whole audit of this table, listing and history included
 * @param listRequests the cold snapshot's requests (the last full read's, for an incremental re-audit); getRequests
 *                     and headRequests likewise
 * @param libraryLoadMillis the snapshot library's own load timing (Delta Kernel's metrics), a cross-check
 * @param mode {@code full} (the whole log read), {@code checksum-proven} (the whole log read except the checkpoint's
 *             {@code add.path} column, the figures proven equal to a full read's by the version's checksum file),
 *             {@code incremental} (only the commits since the last audit applied to its figures) or {@code unchanged}
 *             (nothing new since the last audit)
 * @param fullReason why a full read was made where a shortcut (incremental, checksum-proven) was asked for or tried;
 *                   null otherwise
 * @param requests every storage request of this audit, the snapshot's and the rest
 */
public record ReadCost(
        long snapshotMillis,
        long scanMillis,
        long auditMillis,
        Long listRequests,
        Long getRequests,
        Long headRequests,
        String countersSource,
        Long libraryLoadMillis,
        String mode,
        String fullReason,
        StorageRequests requests) {

    public static final String FULL = "full";
    /**
     * A one-shot audit whose commits after the checkpoint remove nothing read the checkpoint's adds without their paths
     * (needed only to drop files those commits touch), and the checksum file of the version agreed with every figure.
     */
    public static final String CHECKSUM_PROVEN = "checksum-proven";
    public static final String INCREMENTAL = "incremental";
    public static final String UNCHANGED = "unchanged";
}
