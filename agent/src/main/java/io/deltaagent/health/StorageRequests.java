package io.deltaagent.health;

/**
 * The storage requests of a whole audit: listing, the checkpoint, the commits and the history. Null counts where the
 * file system counts none (the local one).
 *
 * @param bytesRead bytes read from objects (S3A's stream_read_bytes; listings not included)
 * @param shared true when other audits read through the same storage client meanwhile (the daemon's concurrent
 *               audits of one bucket): the counts then include theirs; false when they are this audit's alone
 */
public record StorageRequests(Long list, Long get, Long head, Long bytesRead, Boolean shared) {

    public static final StorageRequests NONE = new StorageRequests(null, null, null, null, null);

    /** The sum of LIST, GET and HEAD; null when not counted. */
    public Long total() {
        return list == null ? null : list + (get == null ? 0 : get) + (head == null ? 0 : head);
    }
}
