package io.deltaagent.deltalog;

import io.deltaagent.storage.TableLocation;

/**
 * A library that builds a table's latest snapshot and streams its active files: Delta Standalone,
 * Delta Kernel, or the agent's own projected read of the log ({@link ProjectedSnapshots}). {@link LogHealthReader} times it and adds what it learns from the log itself.
 */
public interface SnapshotLibrary {

    /** {@code standalone}, {@code kernel} or {@code projected}: shown as the reader that measured the table. */
    String name();

    /** The highest reader protocol version the library reads. */
    int maxReaderVersion();

    /** Reader features it reads at {@link #maxReaderVersion()} (empty: none beyond the version). */
    java.util.Set<String> readerFeatures();

    /**
     * Builds the snapshot cold (timed) and aggregates every active file; never holds them all.
     *
     * @param log what the audit already read from {@code _delta_log}: the projected reader builds on its listing
     *            (and counts that listing's cost in its snapshot); the libraries list the log themselves, their
     *            requests counted on its store's client ({@link io.deltaagent.deltalog.storage.LogStore#clientCounters()})
     */
    SnapshotFacts measure(TableLocation table, ReadThresholds thresholds, LogInspection log) throws Exception;
}
