package io.deltaagent.deltalog.storage;

import io.deltaagent.storage.TableLocation;
import java.io.IOException;

/**
 * The storage the log readers read tables from (after Delta Kernel's {@code Engine}): it opens a {@link LogStore} for
 * a table and names the table's {@code _delta_log} as its stores do. The readers are built from it and see storage
 * through it only; its implementation ({@link HadoopStorage}) is the one place a Hadoop {@code Configuration} or
 * {@code FileSystem} reaches the readers' storage.
 *
 * <p>Stateless, and safe for concurrent audits: each audit opens a store of its own.
 */
public interface LogStorage {

    /**
     * A store for one audit of {@code table}: its parallel reads go to {@code engine}, {@link ReadExecutor#PER_AUDIT} at
     * a time. Closing the store ends its reads; the engine stays its owner's.
     *
     * @throws IOException when the table's storage cannot be reached (an unknown scheme, a store that refuses its settings)
     */
    LogStore open(TableLocation table, ReadExecutor engine) throws IOException;

    /** A store for a one-off read outside any reader (a run's commits read back), with read threads that end with it. */
    LogStore open(TableLocation table) throws IOException;

    /** The table's {@code _delta_log} directory as its stores name objects: a full URI (no trailing slash). */
    String logDir(TableLocation table) throws IOException;
}
