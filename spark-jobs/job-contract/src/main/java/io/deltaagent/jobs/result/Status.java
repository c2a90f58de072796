package io.deltaagent.jobs.result;

/** Outcome of one run; {@code FAILED} results carry an {@code error}. */
public enum Status {
    SUCCEEDED,
    FAILED
}
