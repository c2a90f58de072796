package io.deltaagent.jobs.error;

import io.deltaagent.jobs.result.ExitCode;

/**
 * Base of every failure a maintenance job reports on purpose. Messages start with the table, then say
 * what failed, why, and how to fix it. Subclasses exist only where the caller reacts differently: bad
 * input (do not retry, fix the request) versus a conflict that outlived the job's retries (retry later).
 */
public class JobException extends RuntimeException {
    private final ExitCode exitCode;
    private final boolean retryable;

    public JobException(String message, ExitCode exitCode, boolean retryable, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.retryable = retryable;
    }

    public JobException(String message, Throwable cause) {
        this(message, ExitCode.FAILED, false, cause);
    }

    /** The process exit code this failure maps to. */
    public ExitCode exitCode() {
        return exitCode;
    }

    /** Whether running the same request again later may succeed without changing anything. */
    public boolean retryable() {
        return retryable;
    }
}
