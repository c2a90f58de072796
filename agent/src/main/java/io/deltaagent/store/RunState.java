package io.deltaagent.store;

/** Where a maintenance run stands. */
public enum RunState {
    SUBMITTED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT;

    /** The recorded state of a job that ended so. */
    public static RunState of(io.deltaagent.submit.JobState state) {
        return switch (state) {
            case SUCCEEDED -> SUCCEEDED;
            case FAILED -> FAILED;
            case CANCELLED -> CANCELLED;
            case TIMED_OUT -> TIMED_OUT;
        };
    }

    public boolean finished() {
        return this != SUBMITTED && this != RUNNING;
    }
}
