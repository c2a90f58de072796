package io.deltaagent.jobs.request;

/** One maintenance action on one table, as the command line asked for it. */
public sealed interface JobRequest permits OptimizeRequest, CheckpointRequest, VacuumRequest {
    /** The action's name as on the command line and in the result: optimize, checkpoint or vacuum. */
    String action();

    /** The table URI as given (a local path, {@code file:}, {@code s3a://...}). */
    String table();

    static String requireTable(String table) {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("table must not be blank");
        }
        return table.strip();
    }
}
