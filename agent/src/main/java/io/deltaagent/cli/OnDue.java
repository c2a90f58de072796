package io.deltaagent.cli;

/**
 * What "maintenance due" means for the caller's exit status ({@code --on-due}): a scheduler task fails,
 * is skipped, or succeeds. Failures and usage errors keep their own codes whatever the choice.
 */
enum OnDue {
    /** Exit 3: the task fails (the default, for cron and CI gates). */
    fail(ExitCode.MAINTENANCE_DUE),
    /** Exit 99: Airflow's BashOperator marks the task skipped. */
    skip(ExitCode.SKIP),
    /** Exit 0: the result document says what is due; the task succeeds. */
    succeed(ExitCode.HEALTHY);

    private final int exitCode;

    OnDue(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The exit code for a run whose outcome would be {@code code} under the default. */
    int apply(int code) {
        return code == ExitCode.MAINTENANCE_DUE ? exitCode : code;
    }
}
