package io.deltaagent.maintain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.DeltaLogReader;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.store.DbRetry;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSubmitter;
import io.deltaagent.submit.ResumableJobSubmitter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles runs a CLI process left SUBMITTED or RUNNING when it died (SIGKILL, OOM, a lost worker), so history agrees
 * with the table: a job that is still running is left to run; otherwise the run's end is read from its job's result
 * (local backend) and, above all, from the table's log, where every commit of the job carries the run's tag
 * (commitInfo.userMetadata). A run whose job committed is recorded with its commits; one that left no commit and no
 * result is recorded FAILED with what was checked. Runs of a process that still runs, or ran on another host, are
 * not touched.
 */
public final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /** One settled run: its id, the state it was given, and why. */
    public record Settled(long runId, String table, String action, RunState state, Long commitVersion, String reason) {
    }

    private final HistoryStore store;
    private final RunExecutor executor;
    private final Function<String, JobSubmitter> backends;
    private final Clock clock;
    private final Duration jobTimeout;

    /** @param jobTimeout runs older than this with no owner recorded (agents before owners were kept) count as abandoned */
    public Reconciler(HistoryStore store, DeltaLogReader reader, Function<String, JobSubmitter> backends, ObjectMapper json,
                      Clock clock, Duration jobTimeout) {
        this(store, new RunExecutor(store, reader, backends, json, clock,
                new DbRetry(Maintainer.HISTORY_PATIENCE, Duration.ofSeconds(1)), jobTimeout), backends, clock, jobTimeout);
    }

    /** Settles runs through {@code executor}, the lifecycle the runs themselves took. */
    public Reconciler(HistoryStore store, RunExecutor executor, Function<String, JobSubmitter> backends, Clock clock,
                      Duration jobTimeout) {
        this.store = Objects.requireNonNull(store, "store");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.backends = Objects.requireNonNull(backends, "backends");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jobTimeout = Objects.requireNonNull(jobTimeout, "jobTimeout");
    }

    /** Settles the abandoned runs of the tables in {@code settings} (canonical path to settings); returns what it did. */
    public List<Settled> reconcile(java.util.Map<String, TableSettings> settings) throws InterruptedException {
        List<Settled> out = new ArrayList<>();
        for (RunRecord run : store.runs().unfinished()) {
            TableSettings tableSettings = settings.get(run.table());
            if (tableSettings == null || !abandoned(run)) {
                continue;
            }
            try {
                settle(run, tableSettings).ifPresent(out::add);
            } catch (DeltaAgentException e) {
                LOG.warn("{}: run {} ({}) left {}: cannot settle it now: {}", run.table(), run.id(), run.action(), run.state(),
                        e.getMessage());
            }
        }
        return out;
    }

    private boolean abandoned(RunRecord run) {
        if (run.owner() == null) {
            return run.submittedAt().plus(jobTimeout).isBefore(clock.instant());
        }
        return RunOwner.gone(run.owner(), run.submittedAt());
    }

    private Optional<Settled> settle(RunRecord run, TableSettings settings) throws InterruptedException {
        JobOutcome polled = null;
        JobSubmitter backend = run.jobHandle() == null ? null : backends.apply(run.backend());
        if (backend instanceof ResumableJobSubmitter resumable) {
            Optional<JobOutcome> ended = resumable.poll(run.jobHandle());
            if (ended.isEmpty()) {
                LOG.info("{}: run {} ({}) was left {} by {}, but its job still runs; left to finish", run.table(), run.id(),
                        run.action(), run.state(), run.owner());
                return Optional.empty();
            }
            polled = ended.get();
        }
        String lost = "its agent process (" + (run.owner() == null ? "unrecorded" : run.owner()) + ") ended while the job ran";
        JobOutcome outcome;
        if (polled != null && polled.resultJson() != null) {
            outcome = new JobOutcome(polled.state(), polled.startedAt(), polled.endedAt(), polled.resultJson(),
                    lost + "; settled from the job's result" + (polled.message() == null ? "" : ": " + polled.message()));
        } else {
            outcome = executor.settleFromLog(run, lost, polled == null ? null : polled.message());
        }
        RunExecutor.Finished finished = executor.finish(run.id(), run.table(), MaintenanceAction.valueOf(run.action()),
                RunRows.check(run.check()), outcome, settings, null);
        if (finished.recordError() != null) {
            throw new DeltaAgentException(run.table() + ": " + finished.recordError());
        }
        RunState state = RunRows.state(outcome.state());
        LOG.warn("{}: run {} ({}) reconciled to {}: {}", run.table(), run.id(), run.action(), state, outcome.message());
        return Optional.of(new Settled(run.id(), run.table(), run.action(), state, outcome.commitVersion(), outcome.message()));
    }
}
