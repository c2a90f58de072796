package io.deltaagent.maintain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.TableSettings;
import io.deltaagent.cost.CostEstimate;
import io.deltaagent.cost.CostEstimator;
import io.deltaagent.deltalog.history.CommitInfoReader;
import io.deltaagent.submit.Backends;
import io.deltaagent.deltalog.DeltaLogReader;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.plan.PlanCheck;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.store.DbRetry;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.NewRun;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.submit.BackendException;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobProgress;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobSubmitter;
import io.deltaagent.submit.ResumableJobSubmitter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one lifecycle every maintenance run takes, for {@code maintain}, the daemon and reconciliation, from
 * {@link #attempt}: guard (a job of the table still open, the cooldown, the no-progress guard), record the run (with the
 * job's handle, owner and commit tag) before its job starts, run the job, then re-audit the table from its log, read
 * back what the job committed, judge it against the prediction, record the end, and estimate its cost. A run's end is
 * recorded once; the history database is retried through a short outage, and when it stays away the outcome is still
 * returned (with {@link Finished#recordError}): the run stays open in history, and the next process settles it from the
 * log ({@link Reconciler}, through {@link #settleFromLog} and {@link #finish}). A job that committed is never reported
 * failed because its end could not be written.
 */
public final class RunExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);

    /** A run recorded and about to start. */
    public record Started(long runId, String table, PlannedAction action, JobSpec spec, String handle, String cluster,
                          PlanCheck planned, Instant submittedAt, RunProgress progress, String backend) {
    }

    /**
     * How a run ended, as recorded.
     *
     * @param after the table re-measured from its log, null when that failed ({@code reauditError} says why)
     * @param commitInfo the commitInfo of the run's last commit, read back from the log, or null
     * @param check the run's prediction beside what it did; null for runs recorded without a prediction
     * @param recordError why the end could not be recorded in the history database, or null when it was
     */
    public record Finished(JobOutcome outcome, TableHealth after, String reauditError, String commitInfo, PlanCheck check,
                           String recordError) {

        /** What went wrong, in one line: the job's message, else the re-audit's, else null. */
        public String error() {
            return outcome.message() != null ? outcome.message() : reauditError;
        }
    }

    /**
     * One unit of a plan to run.
     *
     * @param current the table as measured before the run (the plan was made from it)
     * @param owner who runs it, as recorded: this CLI process ({@link RunOwner#current}) or a daemon instance
     * @param force run it past the cooldown and the no-progress guard (never past an open run's job); recorded as forced
     */
    public record Unit(String table, TableHealth current, PlannedAction action, TableSettings settings, JobSubmitter submitter,
                       String owner, boolean force, Duration timeout) {
        public Unit {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(submitter, "submitter");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** How an attempt ended: refused by a guard, or run (and recorded). */
    public sealed interface Attempt permits Refused, Ran {
    }

    /**
     * The unit was not run.
     *
     * @param openRun true when a run of the table is still open (its job may still run): no later action of the plan may
     *                start either, and {@code --force} does not override it
     */
    public record Refused(String reason, boolean openRun) implements Attempt {
    }

    /**
     * The unit ran and its end was recorded (or, see {@link Finished#recordError}, could not be).
     *
     * @param forcedPast the guard's refusal a forced run went past, or null
     * @param cost the run's estimated cost, null without prices or times
     */
    public record Ran(Started started, JobOutcome outcome, Finished finished, CostEstimate cost, String forcedPast)
            implements Attempt {
    }

    /**
     * What the caller around a run does at its steps: the daemon links the run to its claim and counts its job, the CLI
     * lets a stop request interrupt the job.
     */
    public interface Watch {

        /** The run is recorded and its job is about to start. */
        default void recorded(Started started) {
        }

        /** Runs {@code job} (the backend's wait for the job), e.g. while a stop request may interrupt it. */
        default JobOutcome job(Started started, JobCall job) throws InterruptedException {
            return job.call();
        }

        /**
         * The backend could not run the job (after its retries): the run is recorded FAILED with {@code e}'s message.
         * Called before the outcome is judged, so that the daemon counts a failure to submit as it counts one to follow.
         */
        default void backendFailed(Started started, BackendException e) {
        }

        /**
         * What asked the agent to stop while the job was in flight ("SIGTERM"), recorded with the run; null when nothing
         * did. When not null at an interrupt, the job's cancel is recorded ({@link Cancelled}); when null, an interrupt
         * leaves the run open for the next start to follow (the daemon shutting down).
         */
        default String stoppedBy() {
            return null;
        }
    }

    /** A backend's wait for a job. */
    public interface JobCall {
        JobOutcome call() throws InterruptedException;
    }

    /**
     * Thrown when the agent was stopped while the unit's job ran: the backend cancelled the job and the run is recorded
     * CANCELLED with what it had committed ({@link #ran}).
     */
    public static final class Cancelled extends InterruptedException {
        private final transient Ran ran;

        Cancelled(Ran ran, InterruptedException cause) {
            super(cause.getMessage());
            initCause(cause);
            this.ran = ran;
        }

        public Ran ran() {
            return ran;
        }
    }

    private final HistoryStore store;
    private final DeltaLogReader reader;
    private final CommitInfoReader commits;
    private final OutcomeCheck outcomes;
    private final RunGuard guard;
    private final LiveRuns liveRuns;
    private final CostEstimator costs;
    private final ObjectMapper json;
    private final Clock clock;
    private final DbRetry retry;

    /**
     * @param backends the job backend by name, to ask about open runs' jobs and to price runs
     * @param retry how long the history database is waited for when a run's end is recorded
     * @param jobTimeout how long a job on a backend that cannot be asked may still run after its run was submitted
     */
    public RunExecutor(HistoryStore store, DeltaLogReader reader, Function<String, JobSubmitter> backends, ObjectMapper json,
                       Clock clock, DbRetry retry, Duration jobTimeout) {
        this.store = Objects.requireNonNull(store, "store");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.commits = reader.commitInfo();
        this.outcomes = new OutcomeCheck(commits);
        this.guard = new RunGuard(store);
        this.liveRuns = new LiveRuns(store, backends, clock, jobTimeout);
        this.costs = Backends.costs(backends);
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /** The guard against repeating an action (cooldown, no progress), for the daemon's admission to ask before a claim. */
    public RunGuard guard() {
        return guard;
    }

    /**
     * Runs one unit through its whole lifecycle: guard, record, run, re-audit, judge, record the end, cost.
     *
     * @throws Cancelled when the agent was stopped ({@link Watch#stoppedBy}) while the job ran, and it did not finish first
     * @throws InterruptedException when interrupted while the job ran and nothing asked to record the stop: the run stays
     *                              open, for the next start to follow
     */
    public Attempt attempt(Unit unit, Watch watch) throws InterruptedException {
        Optional<String> live = liveRuns.refusal(unit.table());
        if (live.isPresent()) {
            return new Refused(live.get(), true);
        }
        Optional<String> refusal = guard.refusal(unit.table(), unit.action(), unit.current().identity().version(),
                unit.settings().cooldown(), clock.instant());
        if (refusal.isPresent() && !unit.force()) {
            return new Refused(refusal.get(), false);
        }
        Started started = record(unit.table(), unit.current(), unit.action(), unit.submitter(), unit.owner(), refusal.isPresent());
        watch.recorded(started);
        JobOutcome outcome;
        try {
            outcome = watch.job(started, () -> run(started, unit.submitter(), unit.timeout(), watch));
        } catch (InterruptedException e) {
            String stoppedBy = watch.stoppedBy();
            if (stoppedBy == null) {
                throw e;
            }
            // the cancel may have come after the job had finished (result written, commit made): then it succeeded
            outcome = succeededBeforeCancel(started, unit.submitter()).orElse(null);
            if (outcome == null) {
                throw new Cancelled(cancelled(started, unit, stoppedBy), e);
            }
            LOG.warn("{}: run {}: the agent was stopped ({}) after its job had finished: recorded as the job ended", unit.table(),
                    started.runId(), stoppedBy);
        }
        Finished finished = finish(started.runId(), unit.table(), unit.action().action(), started.planned(), outcome,
                unit.settings(), watch.stoppedBy());
        return new Ran(started, outcome, finished, cost(started, outcome).orElse(null), refusal.orElse(null));
    }

    /**
     * Records a run whose job was cancelled because the agent was stopped. The backend has stopped the job by now; what
     * it committed before is read back from the log (its commits carry the run's tag), so the record agrees with the
     * table: CANCELLED, with the commits it made, what they did (files and bytes rewritten, for report and dashboard)
     * and the health re-measured.
     */
    private Ran cancelled(Started started, Unit unit, String stoppedBy) throws InterruptedException {
        long version = unit.current().identity().version();
        String checked;
        List<Long> committed = List.of();
        try {
            committed = taggedCommits(started.table(), version, started.spec().commitTag());
            checked = committed.isEmpty() ? "it committed nothing (no commit after version " + version + " carries its tag)"
                    : "it had committed version" + (committed.size() == 1 ? " " + committed.get(0) : "s " + committed)
                    + " before it stopped";
        } catch (DeltaAgentException e) {
            checked = "whether it committed is unknown: " + e.getMessage();
        }
        String message = "the agent was stopped (" + stoppedBy + ") while the job ran; the backend cancelled it; " + checked;
        JobOutcome outcome = new JobOutcome(JobState.CANCELLED, started.submittedAt(), clock.instant(),
                committed.isEmpty() ? null : committedResult(committed), message);
        // its check has what its commits did, not judged: a cancelled job did part of the work at most
        Finished finished = finish(started.runId(), started.table(), started.action().action(), started.planned(), outcome,
                unit.settings(), stoppedBy);
        LOG.warn("{}: run {} CANCELLED: {}", started.table(), started.runId(), message);
        return new Ran(started, outcome, finished, cost(started, outcome).orElse(null), null);
    }

    /**
     * Records a run of {@code action} on the table as it was measured ({@code current}) before its job starts: the
     * backend's handle of the job (for a backend that can follow it again), its owner, its commit tag and prediction.
     */
    public Started record(String table, TableHealth current, PlannedAction action, JobSubmitter submitter, String owner,
                          boolean forced) {
        JobSpec spec = JobSpec.of(current.identity().location(), action, current.identity().version(), JobSpec.newRunToken());
        String cluster = submitter.clusterSpec(spec);
        String handle = submitter instanceof ResumableJobSubmitter r ? r.prepare(spec) : null;
        Instant submittedAt = clock.instant();
        long runId = store.runs().submitted(new NewRun(table, current.identity().tableId(), action.action().name(), write(action),
                submitter.backend(), cluster, current.identity().version(), submittedAt, write(current), handle, owner, forced,
                spec.commitTag()));
        PlanCheck planned = PlanCheck.planned(action.expected());
        store.runs().planned(runId, action.unit(), action.units(), RunRows.row(planned));
        String what = action.action() + action.unitText() + " of " + table + " on " + submitter.backend();
        return new Started(runId, table, action, spec, handle, cluster, planned, submittedAt, new RunProgress(runId, what, store),
                submitter.backend());
    }

    /**
     * Runs the started run's job and waits for it. A backend that could not run it (after its retries) gives a FAILED
     * outcome; an interrupt cancels the job (the backend's contract) and is rethrown.
     */
    private JobOutcome run(Started started, JobSubmitter submitter, Duration timeout, Watch watch) throws InterruptedException {
        try (RunProgress progress = started.progress().start(); JobProgress.Scope scope = JobProgress.install(progress)) {
            JobOutcome outcome;
            try {
                outcome = submitter instanceof ResumableJobSubmitter r && started.handle() != null
                        ? r.run(started.spec(), started.handle(), timeout)
                        : submitter.run(started.spec(), timeout);
            } catch (BackendException e) {
                watch.backendFailed(started, e);
                outcome = new JobOutcome(JobState.FAILED, started.submittedAt(), clock.instant(), null, e.getMessage());
            }
            progress.state(outcome.state().name());
            return outcome;
        }
    }

    /**
     * How the started run's job ended when the backend was asked to cancel it (the agent was stopped): the job may have
     * finished before the cancel reached it. Only a backend that can follow a job again can tell; empty when it cannot,
     * or the job did not succeed (it was cancelled, failed, or still runs).
     */
    private Optional<JobOutcome> succeededBeforeCancel(Started started, JobSubmitter submitter) {
        if (!(submitter instanceof ResumableJobSubmitter r) || started.handle() == null) {
            return Optional.empty();
        }
        try {
            return r.poll(started.handle()).filter(o -> o.state() == JobState.SUCCEEDED);
        } catch (RuntimeException e) {
            LOG.warn("{}: run {}: cannot ask backend {} how its cancelled job ended: {}",
                    started.table(), started.runId(), started.backend(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Estimates what the run's job cost (the backend's prices x its cores or nodes x how long it ran) and records it; empty
     * without prices or times. A database that fails only loses the estimate.
     */
    private Optional<CostEstimate> cost(Started started, JobOutcome outcome) {
        return cost(started.runId(), started.table(), started.backend(), started.spec().bytesToRewrite(), outcome);
    }

    /**
     * As for a run started here, the cost of a run whose job this process followed to its end after the process that
     * started it died: the job's own start and end times (from its backend), its planned bytes; recorded, empty without
     * prices, times or a prediction (runs recorded before predictions were kept).
     */
    public Optional<CostEstimate> costOfFollowed(long runId, String table, String backend, PlanCheck planned, JobOutcome outcome) {
        return planned == null ? Optional.empty() : cost(runId, table, backend, planned.plannedBytesRewritten(), outcome);
    }

    private Optional<CostEstimate> cost(long runId, String table, String backend, long bytesToRewrite, JobOutcome outcome) {
        if (outcome.startedAt() == null || outcome.endedAt() == null) {
            return Optional.empty();
        }
        Optional<CostEstimate> cost = costs.estimate(backend, bytesToRewrite, Duration.between(outcome.startedAt(), outcome.endedAt()));
        try {
            cost.ifPresent(c -> store.runs().cost(runId, RunRows.row(c)));
        } catch (DeltaAgentException e) {
            LOG.warn("{}: run {}: the cost estimate was not recorded: {}", table, runId, e.getMessage());
        }
        return cost;
    }

    /** The versions after {@code afterVersion} that carry {@code tag}; empty when none or the log cannot be read. */
    private List<Long> taggedCommits(String table, long afterVersion, String tag) {
        if (tag == null) {
            return List.of();
        }
        try {
            return commits.taggedCommits(table, afterVersion, tag);
        } catch (java.io.IOException | RuntimeException e) {
            throw new DeltaAgentException(table + ": cannot read the log for the commits tagged " + tag + ": " + e.getMessage(), e);
        }
    }

    /**
     * The end of a run its agent lost track of, as the table's log tells it: the commits that carry the run's tag make it
     * SUCCEEDED with them; none make it FAILED, state unknown. {@code lost} says how it was lost; {@code also}, when not
     * null, is added to an unknown state's message.
     *
     * @throws DeltaAgentException when the log cannot be read
     */
    public JobOutcome settleFromLog(RunRecord run, String lost, String also) {
        List<Long> tagged = taggedCommits(run.table(), run.tableVersionBefore(), run.commitTag());
        if (!tagged.isEmpty()) {
            return new JobOutcome(JobState.SUCCEEDED, run.startedAt(), clock.instant(), committedResult(tagged), lost
                    + "; settled from the log: commit" + (tagged.size() == 1 ? " " : "s ") + tagged + " carry its tag " + run.commitTag());
        }
        return new JobOutcome(JobState.FAILED, run.startedAt(), clock.instant(), null, lost + "; state unknown: "
                + (run.commitTag() == null
                ? "it was recorded without a commit tag, so the log cannot tell whether it committed"
                : "no commit after version " + run.tableVersionBefore() + " carries its tag " + run.commitTag())
                + (also == null ? "" : "; " + also) + "; check the table's history before running it again");
    }

    /** The part of a result document a run settled from its commits has: the commits, the last as commitVersion. */
    static String committedResult(List<Long> commits) {
        return "{\"commitVersion\":" + commits.get(commits.size() - 1) + ",\"commitVersions\":" + commits + "}";
    }

    /**
     * Re-audits the table, reads back the run's commit, judges it against {@code planned} (when there is one) and records
     * the run's end, in that order: whoever sees the run ended sees it complete. For a run during which the agent was
     * asked to stop, {@code stoppedBy} ("SIGTERM"; null when it was not) is recorded with it, whatever the job's state.
     */
    public Finished finish(long runId, String table, MaintenanceAction action, PlanCheck planned, JobOutcome outcome,
                           TableSettings settings, String stoppedBy) throws InterruptedException {
        TableHealth after = null;
        String reauditError = null;
        try {
            after = reader.read(TableLocation.of(table), SettingsThresholds.of(settings));
        } catch (TableReadException e) {
            reauditError = "re-audit after the job failed: " + e.getMessage();
        }
        String commitInfo = commits.describe(table, outcome.commitVersion());
        PlanCheck check = planned == null ? null : outcomes.judge(table, action, planned, outcome, after, settings.predictionTolerance());
        Finished finished = new Finished(outcome, after, reauditError, commitInfo, check, null);
        String health = after == null ? null : write(after);
        try {
            if (commitInfo != null) {
                recorded(() -> store.runs().commitInfo(runId, commitInfo), table + ": record the commit of run " + runId);
            }
            if (check != null) {
                recorded(() -> store.runs().checked(runId, RunRows.row(check)), table + ": record the outcome check of run " + runId);
            }
            if (stoppedBy != null) {
                recorded(() -> store.runs().stoppedBy(runId, stoppedBy), table + ": record what stopped the agent during run " + runId);
            }
            recorded(() -> store.runs().finished(runId, RunRows.state(outcome.state()), outcome.startedAt(), outcome.endedAt(),
                    outcome.resultJson(), health, outcome.commitVersion(), finished.error()), table + ": record the end of run " + runId);
            return finished;
        } catch (DeltaAgentException e) {
            return new Finished(outcome, after, reauditError, commitInfo, check, "the end of run " + runId
                    + " could not be recorded in the history database (" + e.getMessage() + "); it stays open there until the "
                    + "next maintain or daemon start settles it from the log");
        }
    }

    private void recorded(Runnable write, String what) throws InterruptedException {
        retry.run(write, what);
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
