package io.deltaagent.jobs.result;

/** The process exit codes of the maintenance job; documented in docs/JOB-RESULT.md. */
public enum ExitCode {
    /** The action ran (or, for a dry run, planned) to completion. */
    SUCCESS(0),
    /** The job failed for a reason other than the ones below (Spark, storage, a bug). */
    FAILED(1),
    /** Bad usage or bad input: missing table, not a Delta table, bad predicate or column, retention below floor. */
    BAD_INPUT(2),
    /** Concurrent-modification conflicts persisted after all attempts; retry later (EX_TEMPFAIL). */
    CONFLICT(75);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
