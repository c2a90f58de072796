package io.deltaagent.submit;

/** How a job ended, as every backend reports it. */
public enum JobState { SUCCEEDED, FAILED, CANCELLED, TIMED_OUT }
