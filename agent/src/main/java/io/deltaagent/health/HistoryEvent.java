package io.deltaagent.health;

import java.time.Instant;

/** A commit of interest (the last OPTIMIZE, VACUUM, ...). */
public record HistoryEvent(long version, Instant timestamp, String operation) {
}
