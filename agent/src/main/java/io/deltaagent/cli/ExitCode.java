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
    /** Maintenance is due, with {@code --on-due skip}: Airflow's BashOperator skips a task on 99 by default. */
    public static final int SKIP = 99;
    /** {@code maintain} stopped by SIGINT (128 + 2, as a shell reports it): the job in flight cancelled and recorded. */
    public static final int STOPPED_BY_SIGINT = 130;
    /** {@code maintain} stopped by SIGTERM (128 + 15): the job in flight cancelled and recorded. */
    public static final int STOPPED_BY_SIGTERM = 143;

    private ExitCode() {
    }

    /**
     * The exit code for a history-database failure: 2 (bad usage, config or history database), or, when a stop signal
     * came while the schema migrated (finished first), 143 or 130 as for any command stopped by that signal.
     */
    public static int ofHistoryFailure(io.deltaagent.error.DeltaAgentException e) {
        if (e instanceof io.deltaagent.store.StoppedDuringMigration stopped) {
            return "SIGINT".equals(stopped.signal()) ? STOPPED_BY_SIGINT : STOPPED_BY_SIGTERM;
        }
        return USAGE;
    }
}
