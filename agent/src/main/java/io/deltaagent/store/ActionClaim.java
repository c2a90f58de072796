package io.deltaagent.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A table+action in flight: at most one per pair over every daemon sharing the database.
 *
 * @param owner the daemon instance that admitted it
 * @param reason why it was admitted (its rank and gain), for people
 * @param runId the run recorded for it, null until the job is submitted
 */
public record ActionClaim(String table, String action, String backend, String owner, Instant claimedAt, String reason,
                          Long runId) {
    public ActionClaim {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(claimedAt, "claimedAt");
    }
}
