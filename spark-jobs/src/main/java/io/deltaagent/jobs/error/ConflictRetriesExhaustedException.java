package io.deltaagent.jobs.error;

import io.deltaagent.jobs.result.ExitCode;

/**
 * Concurrent writers kept winning: every attempt ended in a Delta concurrent-modification conflict. The
 * table is unchanged by this job (a conflicting commit is never written), so it is safe to run again
 * later. Exit code 75 (EX_TEMPFAIL); {@code error.retryable} is true.
 */
public class ConflictRetriesExhaustedException extends JobException {
    private final int attempts;

    public ConflictRetriesExhaustedException(String message, int attempts, Throwable lastConflict) {
        super(message, ExitCode.CONFLICT, true, lastConflict);
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }
}
