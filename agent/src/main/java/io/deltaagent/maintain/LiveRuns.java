package io.deltaagent.maintain;

import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSubmitter;
import io.deltaagent.submit.ResumableJobSubmitter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Keeps a second job off a table whose earlier job may still run: a run left open in history (its agent was killed, or a
 * parallel {@code maintain} still runs it) whose job the backend says still runs, or whose agent is alive and has not
 * recorded its end, or, on a backend that cannot be asked, that is younger than the job timeout. Unlike the cooldown
 * and the no-progress guard ({@link RunGuard}), {@code maintain --force} does not override this: two jobs rewriting
 * one table at once conflict, and the history could not tell their commits apart.
 */
public final class LiveRuns {

    private final HistoryStore store;
    private final Function<String, JobSubmitter> backends;
    private final Clock clock;
    private final Duration jobTimeout;

    /** @param jobTimeout how long a job on a backend that cannot be asked may still run after its run was submitted */
    public LiveRuns(HistoryStore store, Function<String, JobSubmitter> backends, Clock clock, Duration jobTimeout) {
        this.store = Objects.requireNonNull(store, "store");
        this.backends = Objects.requireNonNull(backends, "backends");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jobTimeout = Objects.requireNonNull(jobTimeout, "jobTimeout");
    }

    /** Why no job may start on {@code table} now (naming the open run and its job), or empty when none may still run. */
    public Optional<String> refusal(String table) {
        for (RunRecord run : store.runs().unfinished()) {
            if (!run.table().equals(table)) {
                continue;
            }
            Optional<String> live = live(run);
            if (live.isPresent()) {
                return Optional.of("no job started: run " + run.id() + " (" + run.action() + ", submitted at " + run.submittedAt()
                        + " by " + (run.owner() == null ? "an unrecorded agent" : run.owner()) + ") is still open and " + live.get()
                        + "; a second job never starts beside it, not even with --force: wait for it to end (the next maintain "
                        + "then settles its run from the log)");
            }
        }
        return Optional.empty();
    }

    private Optional<String> live(RunRecord run) {
        if (RunOwner.current().equals(run.owner())) {
            return Optional.empty(); // this process ran it to its end; only recording the end failed
        }
        JobSubmitter backend = null;
        if (run.jobHandle() != null) {
            try {
                backend = backends.apply(run.backend());
            } catch (RuntimeException e) {
                backend = null; // a backend this agent does not have: its job cannot be asked, the time rule decides
            }
        }
        if (backend instanceof ResumableJobSubmitter resumable) {
            Optional<JobOutcome> ended;
            try {
                ended = resumable.poll(run.jobHandle());
            } catch (RuntimeException e) {
                return Optional.of("backend " + run.backend() + " cannot say whether its job " + run.jobHandle() + " still runs ("
                        + e.getMessage() + ")");
            }
            if (ended.isEmpty()) {
                return Optional.of("its job " + run.jobHandle() + " still runs on backend " + run.backend());
            }
            // a parallel maintain on this host that is still recording its ended job (other hosts' agents cannot be seen)
            if (RunOwner.localPid(run.owner()).isPresent() && !RunOwner.gone(run.owner(), run.submittedAt())) {
                return Optional.of("its agent (" + run.owner() + ") still runs and has not recorded the end of its job");
            }
            return Optional.empty();
        }
        if (run.submittedAt().plus(jobTimeout).isAfter(clock.instant())) {
            return Optional.of("its job may still run (backend " + run.backend() + " cannot be asked) until its timeout of "
                    + io.deltaagent.config.Durations.toConfigString(jobTimeout) + " after submission");
        }
        return Optional.empty();
    }
}
