package io.deltaagent.store;

/** Where a maintenance run stands. */
public enum RunState {
    SUBMITTED, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT;

    public boolean finished() {
        return this != SUBMITTED && this != RUNNING;
    }
}
