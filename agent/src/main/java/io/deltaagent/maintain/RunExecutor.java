package io.deltaagent.maintain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.TableSettings;
import io.deltaagent.cost.CostEstimate;
import io.deltaagent.cost.CostEstimator;
import io.deltaagent.deltalog.CommitInfoReader;
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
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The one path every maintenance run takes, for {@code maintain}, the daemon and reconciliation: record the run (with
 * the job's handle, owner and commit tag) before its job starts; run the job; then re-audit the table from its log,
 * read back what the job committed, judge it against the prediction, and record the end. A run's end is recorded
 * once; the history database is retried through a short outage, and when it stays away the outcome is still returned
 * (with {@link Finished#recordError}): the run stays open in history, and the next process settles it from the log
 * ({@link Reconciler}). A job that committed is never reported failed because its end could not be written.
 */
public final class RunExecutor {

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

    private final HistoryStore store;
    private final DeltaLogReader reader;
    private final CommitInfoReader commits;
    private final OutcomeCheck outcomes;
    private final ObjectMapper json;
    private final Clock clock;
    private final DbRetry retry;

    public RunExecutor(HistoryStore store, DeltaLogReader reader, ObjectMapper json, Clock clock, DbRetry retry) {
        this.store = store;
        this.reader = reader;
        this.commits = new CommitInfoReader(reader.hadoopConf());
        this.outcomes = new OutcomeCheck(commits);
        this.json = json;
        this.clock = clock;
        this.retry = retry;
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
        long runId = store.submitted(new NewRun(table, current.identity().tableId(), action.action().name(), write(action),
                submitter.backend(), cluster, current.identity().version(), submittedAt, write(current), handle, owner, forced,
                spec.commitTag()));
        PlanCheck planned = PlanCheck.planned(action.expected());
        store.planned(runId, action.unit(), action.units(), planned);
        String what = action.action() + (action.units() == 1 ? "" : " (unit " + action.unit() + " of " + action.units() + ")")
                + " of " + table + " on " + submitter.backend();
        return new Started(runId, table, action, spec, handle, cluster, planned, submittedAt, new RunProgress(runId, what, store),
                submitter.backend());
    }

    /**
     * Runs the started run's job and waits for it. A backend that could not run it (after its retries) gives a FAILED
     * outcome; an interrupt cancels the job (the backend's contract) and is rethrown.
     */
    public JobOutcome run(Started started, JobSubmitter submitter, Duration timeout) throws InterruptedException {
        try (RunProgress progress = started.progress().start(); JobProgress.Scope scope = JobProgress.install(progress)) {
            JobOutcome outcome;
            try {
                outcome = submitter instanceof ResumableJobSubmitter r && started.handle() != null
                        ? r.run(started.spec(), started.handle(), timeout)
                        : submitter.run(started.spec(), timeout);
            } catch (BackendException e) {
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
    public Optional<JobOutcome> succeededBeforeCancel(Started started, JobSubmitter submitter) {
        if (!(submitter instanceof ResumableJobSubmitter r) || started.handle() == null) {
            return Optional.empty();
        }
        try {
            return r.poll(started.handle()).filter(o -> o.state() == JobState.SUCCEEDED);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(RunExecutor.class).warn("{}: run {}: cannot ask backend {} how its cancelled job ended: {}",
                    started.table(), started.runId(), started.backend(), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Estimates what the run's job cost (the backend's prices x its cores or nodes x how long it ran) and records it; empty
     * without prices or times. A database that fails only loses the estimate.
     */
    public Optional<CostEstimate> cost(Started started, JobOutcome outcome, CostEstimator estimator) {
        if (outcome.startedAt() == null || outcome.endedAt() == null) {
            return Optional.empty();
        }
        Optional<CostEstimate> cost = estimator.estimate(started.backend(), started.spec().bytesToRewrite(),
                Duration.between(outcome.startedAt(), outcome.endedAt()));
        try {
            cost.ifPresent(c -> store.cost(started.runId(), c));
        } catch (DeltaAgentException e) {
            LoggerFactory.getLogger(RunExecutor.class).warn("{}: run {}: the cost estimate was not recorded: {}", started.table(),
                    started.runId(), e.getMessage());
        }
        return cost;
    }

    /** The versions after {@code afterVersion} that carry {@code tag}; empty when none or the log cannot be read. */
    public List<Long> taggedCommits(String table, long afterVersion, String tag) {
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
     * the run's end, in that order: whoever sees the run ended sees it complete.
     */
    public Finished finish(long runId, String table, MaintenanceAction action, PlanCheck planned, JobOutcome outcome,
                           TableSettings settings) throws InterruptedException {
        return finish(runId, table, action, planned, outcome, settings, null);
    }

    /**
     * As {@link #finish(long, String, MaintenanceAction, PlanCheck, JobOutcome, TableSettings)}, for a run during which the
     * agent was asked to stop ({@code stoppedBy}: "SIGTERM"; null when it was not): recorded with the run, whatever the
     * job's state.
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
                recorded(() -> store.commitInfo(runId, commitInfo), table + ": record the commit of run " + runId);
            }
            if (check != null) {
                recorded(() -> store.checked(runId, check), table + ": record the outcome check of run " + runId);
            }
            if (stoppedBy != null) {
                recorded(() -> store.stoppedBy(runId, stoppedBy), table + ": record what stopped the agent during run " + runId);
            }
            recorded(() -> store.finished(runId, RunState.of(outcome.state()), outcome.startedAt(), outcome.endedAt(),
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
