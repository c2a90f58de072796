package io.deltaagent.store;

/** A maintenance run of a detached maintain, as a session status lists it. */
public record SessionRun(long runId, String table, String action, int unit, int units, RunState state, String runUrl) {
}
