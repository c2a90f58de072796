package io.deltaagent.deltalog;

import io.deltaagent.deltalog.history.CommitInfoReader;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;

/**
 * Measures one table from its transaction log. Implementations are stateless between calls: every
 * {@link #read} builds the snapshot cold, so the log-read latency it reports is what a new reader pays.
 */
public interface DeltaLogReader extends AutoCloseable {

    /** A name for logs. */
    String name();

    /** Reads single commits of the tables it audits (a run's tagged commits), with the same storage settings. */
    CommitInfoReader commitInfo();

    /**
     * The reader for measurements that must be full reads: a maintenance run's before and after, whose cold log-read
     * latency is part of what it proves. Itself, unless it re-audits incrementally.
     */
    default DeltaLogReader fullReads() {
        return this;
    }

    /** @throws TableReadException with a message that starts with the table, for every failure */
    TableHealth read(TableLocation table, ReadThresholds thresholds);

    /** Stops the threads the reader owns (its read pool); reads in flight fail. Nothing to do for readers that own none. */
    @Override
    default void close() {
    }
}
