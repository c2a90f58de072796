package io.deltaagent.submit;

import java.time.Duration;

/**
 * A backend whose jobs can be followed again by a later agent process: the job gets a handle before it
 * starts, the agent records the handle, and after a restart (or on another daemon, after this one died)
 * {@link #resume} follows the same job to its end instead of submitting it a second time.
 */
public interface ResumableJobSubmitter extends JobSubmitter {

    /** Names the job {@code spec} will run as; starts nothing. The handle is a string the agent stores. */
    String prepare(JobSpec spec);

    /** Starts the job under {@code handle} (from {@link #prepare}) and waits for it, as {@link #run(JobSpec, Duration)}. */
    JobOutcome run(JobSpec spec, String handle, Duration timeout) throws InterruptedException;

    /**
     * Follows the job started under {@code handle}, possibly by another agent process, until it ends or
     * {@code timeout} passes (then it is cancelled: {@link JobState#TIMED_OUT}). Never starts a job: a job
     * that never started, or vanished without a result, ends {@link JobState#FAILED} with a message saying so.
     */
    JobOutcome resume(String handle, Duration timeout) throws InterruptedException;

    /**
     * How the job started under {@code handle} ended, without waiting and without touching it: empty while it still
     * runs. A job that is gone without a result ends {@link JobState#FAILED}, as in {@link #resume}.
     */
    java.util.Optional<JobOutcome> poll(String handle);

    @Override
    default JobOutcome run(JobSpec spec, Duration timeout) throws InterruptedException {
        return run(spec, prepare(spec), timeout);
    }
}
