package io.deltaagent.deltalog.replay;

import io.deltaagent.deltalog.actions.TableMetadata;
import io.deltaagent.health.FileStatsAccumulator;

/**
 * What a full read keeps for later re-audits of the same table, filled as it reads: the file aggregates (able to take
 * files out again), the keys of the active files and of the checkpoint's tombstones as hashes, and the checkpoint's
 * share of the tombstones. Only the projected reader fills it.
 */
public final class BaselineCapture {
    public FileStatsAccumulator files;
    public DvTally deletionVectors;
    public final LongSet activeKeys = new LongSet();
    public TableMetadata metadata;
    public TombstoneTally checkpointTombstones;
    public final LongSet checkpointTombstoneKeys = new LongSet();
    public int sidecars;
}
