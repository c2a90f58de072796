package io.deltaagent.cli;

/** The CLI's exit codes; the README documents them in one table. */
public final class ExitCode {
    /** Every table healthy (or, for maintain, healed). */
    public static final int HEALTHY = 0;
    /** At least one table could not be read or maintained; the others are still reported. */
    public static final int TABLE_FAILED = 1;
    /** Bad usage or config. */
    public static final int USAGE = 2;
    /** Maintenance is due on at least one table (the default, {@code --on-due fail}). */
    public static final int MAINTENANCE_DUE = 3;
    /**
     * At least one table was audited but is not maintainable here: catalog-managed, or a writer feature the job runtime
     * does not support. A failure (1) outranks it; it outranks maintenance due (3).
     */
    public static final int NOT_MAINTAINABLE = 4;

    /**
     * A transient failure kept the command from its result: the history database or a catalog unreachable or timing out,
     * the storage throttling (503 SlowDown) or not answering. Retry later (EX_TEMPFAIL of sysexits.h); Airflow's operator
     * retries on it. Bad config stays {@link #USAGE}.
     */
    public static final int TRANSIENT = 75;
    /** Maintenance is due, with {@code --on-due skip}: Airflow's BashOperator skips a task on 99 by default. */
    public static final int SKIP = 99;
    /** {@code maintain} stopped by SIGINT (128 + 2, as a shell reports it): the job in flight cancelled and recorded. */
    public static final int STOPPED_BY_SIGINT = 130;
    /** {@code maintain} stopped by SIGTERM (128 + 15): the job in flight cancelled and recorded. */
    public static final int STOPPED_BY_SIGTERM = 143;

    private ExitCode() {
    }

    /**
     * The exit code for a failure that stops a command before its result (the history database, a backend's setup): 75
     * when it is transient ({@link io.deltaagent.error.Transience}), 143 or 130 when a stop signal came while the schema
     * migrated (finished first), else 2 (bad usage or config).
     */
    public static int ofHistoryFailure(io.deltaagent.error.DeltaAgentException e) {
        if (e instanceof io.deltaagent.store.StoppedDuringMigration stopped) {
            return "SIGINT".equals(stopped.signal()) ? STOPPED_BY_SIGINT : STOPPED_BY_SIGTERM;
        }
        return io.deltaagent.error.Transience.isTransient(e) ? TRANSIENT : USAGE;
    }

    /**
     * The exit code of a run whose tables have {@code failures} (each table that could not be read or maintained) among
     * {@code tables} in all: 75 when {@code allTransient} holds for the failures, else 1; 0 (for the caller to refine)
     * when none failed.
     *
     * @param wholeRunOnly when true (audit, plan) 75 needs every table to have failed: a partial report is still a
     *                     result; when false (maintain) any run whose failures are all transient is worth a retry, since a
     *                     rerun does nothing to the tables already healed
     */
    public static int ofTableFailures(java.util.List<? extends Throwable> failures, int tables, boolean wholeRunOnly) {
        if (failures.isEmpty()) {
            return HEALTHY;
        }
        boolean allTransient = failures.stream().allMatch(f -> f != null && io.deltaagent.error.Transience.isTransient(f));
        if (allTransient && (!wholeRunOnly || failures.size() == tables)) {
            return TRANSIENT;
        }
        return TABLE_FAILED;
    }
}
