package io.deltaagent.submit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The one loop that follows a job a remote service runs (Databricks, EMR, EMR Serverless), once it was submitted:
 * look at it every poll interval until it ends; at the deadline have it stopped and report how; on an interrupt
 * (agent shutdown) have it stopped, then rethrow, so that no compute outlives the agent's interest in it. Each
 * backend supplies the calls to its service as a {@link RemoteJob}.
 */
public final class PollLoop {

    /** One submitted job, as its service shows it. */
    public interface RemoteJob {

        /**
         * Looks at the job once: its outcome (result document read and judged) once it has ended, else empty.
         *
         * @throws BackendException when the service cannot say, and the backend will not wait for it to answer again
         */
        Optional<JobOutcome> look() throws InterruptedException;

        /** The job ran past its deadline: stops it, best effort, and says how it ended ({@link JobState#TIMED_OUT}). */
        JobOutcome timedOut();

        /** The agent stops following it (interrupted): stops it, best effort, without throwing. */
        void abandon();
    }

    private final Clock clock;
    private final Duration interval;

    public PollLoop(Clock clock, Duration interval) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Follows {@code job} until it ends or {@code deadline} passes. */
    public JobOutcome follow(RemoteJob job, Instant deadline) throws InterruptedException {
        try {
            while (true) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while following the job");
                }
                Optional<JobOutcome> ended = job.look();
                if (ended.isPresent()) {
                    return ended.get();
                }
                Duration left = Duration.between(clock.instant(), deadline);
                if (left.isNegative() || left.isZero()) {
                    return job.timedOut();
                }
                // never past the deadline: the job is stopped on time even with a long poll interval
                Thread.sleep(Math.max(1, Math.min(interval.toMillis(), left.toMillis())));
            }
        } catch (InterruptedException e) {
            job.abandon();
            throw e;
        }
    }
}
