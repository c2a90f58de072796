package io.deltaagent.health;

import java.time.Instant;

/**
 * Removed files the log still tracks, and how many of them VACUUM can delete now: those removed longer ago than the
 * retention ({@code vacuumableBefore}) and not already covered by the last VACUUM ({@code coveredBefore}: a VACUUM at
 * time V with retention R deleted the files removed before V - R). Tombstones stay in the log until a checkpoint drops
 * them after they expire, so the count of all of them says little about what VACUUM would do.
 *
 * @param retention the retention VACUUM keeps ({@code 7d}): the larger of vacuum-retention and the table's
 *                  delta.deletedFileRetentionDuration; null when not measured
 * @param coveredBefore removals before this were vacuumed by the last VACUUM the history shows; null when none was seen
 */
public record Tombstones(long count, long bytes, Instant oldestDeletion, long vacuumableCount, long vacuumableBytes,
                         String retention, Instant vacuumableBefore, Instant coveredBefore) {

    /** The tombstones as counted, before the retention is applied. */
    public static Tombstones of(long count, long bytes, Instant oldestDeletion) {
        return new Tombstones(count, bytes, oldestDeletion, 0, 0, null, null, null);
    }

    public Tombstones withVacuumable(long vacuumable, long vacuumableBytes, String retention, Instant before, Instant covered) {
        return new Tombstones(count, bytes, oldestDeletion, vacuumable, vacuumableBytes, retention, before, covered);
    }
}
