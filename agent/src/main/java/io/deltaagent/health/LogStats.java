package io.deltaagent.health;

import java.time.Instant;

/**
 * The shape of {@code _delta_log}.
 *
 * @param lastCheckpointVersion the newest complete checkpoint, or null when the table has none
 * @param lastCheckpointParts number of part files of that checkpoint (1 for single-file checkpoints)
 * @param lastCheckpointSidecars sidecar files a v2 checkpoint names (0 otherwise)
 * @param lastCheckpointFromHint what {@code _last_checkpoint} names (null when absent or unreadable)
 * @param commitsSinceCheckpoint commits a reader replays after the checkpoint (all commits when none)
 * @param objects every object under {@code _delta_log}, including checkpoints, CRCs and sidecars
 * @param compactionFiles log compaction files ({@code x.y.compacted.json}), each standing for commits x to y
 * @param stagedCommitFiles files in {@code _staged_commits/}: a catalog-managed table's commits not yet published
 */
public record LogStats(
        Long lastCheckpointVersion,
        long lastCheckpointBytes,
        int lastCheckpointParts,
        int lastCheckpointSidecars,
        Instant lastCheckpointTime,
        Long lastCheckpointFromHint,
        long commitsSinceCheckpoint,
        long commitFiles,
        long checkpointFiles,
        long oldestCommitVersion,
        long objects,
        long bytes,
        long compactionFiles,
        long stagedCommitFiles) {
}
