package io.deltaagent.store;

import io.deltaagent.error.DeltaAgentException;

/**
 * A stop signal came while the history schema migrated: the migration was finished first (a half-applied one would stop
 * every later command), and the process is to stop now, as the signal asked, with its usual status (128 + its number).
 */
public final class StoppedDuringMigration extends DeltaAgentException {

    private final String signal;

    StoppedDuringMigration(String signal, String database) {
        super("stopped by " + signal + " after the schema migration of history database " + database + " finished "
                + "(a migration is completed before a stop signal is honoured; nothing else was done)");
        this.signal = signal;
    }

    /** {@code SIGTERM} or {@code SIGINT}. */
    public String signal() {
        return signal;
    }
}
