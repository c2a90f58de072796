package io.deltaagent.health;

import java.time.Instant;

/** Removed files the log still tracks (they become vacuumable once older than the retention). */
public record Tombstones(long count, long bytes, Instant oldestDeletion) {
}
