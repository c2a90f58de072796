package io.deltaagent.deltalog;

import io.deltaagent.health.FileStatsAccumulator;

/**
 * What a full read keeps for later re-audits of the same table, filled as it reads: the file aggregates (able to take
 * files out again), the keys of the active files and of the checkpoint's tombstones as hashes, and the checkpoint's
 * share of the tombstones. Only the projected reader fills it.
 */
final class BaselineCapture {
    FileStatsAccumulator files;
    DvTally deletionVectors;
    final LongSet activeKeys = new LongSet();
    TableMetadata metadata;
    TombstoneTally checkpointTombstones;
    final LongSet checkpointTombstoneKeys = new LongSet();
    int sidecars;
}
