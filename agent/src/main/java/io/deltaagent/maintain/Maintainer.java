package io.deltaagent.maintain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.CommitInfoReader;
import io.deltaagent.deltalog.DeltaLogReader;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.plan.MaintenancePlan;
import io.deltaagent.plan.PlanCheck;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.Breach;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.NewRun;
import io.deltaagent.store.RunState;
import io.deltaagent.submit.BackendException;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobSpec;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobSubmitter;
import io.deltaagent.submit.ResumableJobSubmitter;
import io.deltaagent.storage.TableLocation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audit, plan, submit, wait, re-audit, record: one table from unhealthy to healthy, proved with numbers
 * read back from the log. Every run is recorded before it is submitted, so a crash leaves a trace.
 * Actions run in plan order, the units of a split OPTIMIZE one after another, each its own job and commit; after a
 * failed one the rest of that table's plan is not started (the units that succeeded stay committed).
 */
public final class Maintainer {

    private static final Logger LOG = LoggerFactory.getLogger(Maintainer.class);

    private final DeltaLogReader reader;
    private final BreachDetector detector;
    private final Planner planner;
    private final Function<String, JobSubmitter> submitters;
    private final HistoryStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration jobTimeout;
    private final CommitInfoReader commitInfos;
    private final OutcomeCheck outcomes;
    private final boolean force;
    private final StopRequest stop;

    /** @param submitters the job backend by name (a table's {@code backend} setting) */
    public Maintainer(DeltaLogReader reader, BreachDetector detector, Planner planner, Function<String, JobSubmitter> submitters,
                      HistoryStore store, ObjectMapper json, Clock clock, Duration jobTimeout) {
        this(reader, detector, planner, submitters, store, json, clock, jobTimeout, false, StopRequest.never());
    }

    /**
     * @param force run every planned action past the cooldown and the no-progress guard ({@code maintain --force}); the
     *              runs are recorded as forced
     * @param stop a stop request (a signal): the job in flight is cancelled and recorded, no further job starts
     */
    public Maintainer(DeltaLogReader reader, BreachDetector detector, Planner planner, Function<String, JobSubmitter> submitters,
                      HistoryStore store, ObjectMapper json, Clock clock, Duration jobTimeout, boolean force, StopRequest stop) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.submitters = Objects.requireNonNull(submitters, "submitters");
        this.store = Objects.requireNonNull(store, "store");
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jobTimeout = Objects.requireNonNull(jobTimeout, "jobTimeout");
        this.commitInfos = new CommitInfoReader(reader.hadoopConf());
        this.outcomes = new OutcomeCheck(commitInfos);
        this.force = force;
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    /** Maintains the table an audit measured; an audit that failed gives a failed result. */
    public MaintenanceResult maintain(AuditOutcome audit, TableSettings settings) throws InterruptedException {
        if (audit.error() != null) {
            return new MaintenanceResult(audit.table(), null, null, List.of(), null, List.of(), audit.error());
        }
        TableHealth before = audit.health();
        MaintenancePlan plan = planner.plan(before, audit.breaches(), settings, clock.instant());
        if (plan.isEmpty()) {
            return new MaintenanceResult(audit.table(), before, plan, List.of(), null, audit.breaches(), null);
        }
        List<ActionResult> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        TableHealth current = before;
        RunGuard guard = new RunGuard(store, json);
        JobSubmitter submitter = submitters.apply(settings.backend());
        for (PlannedAction action : plan.actions()) {
            if (stop.requested()) {
                throw new Interrupted(new MaintenanceResult(audit.table(), before, plan, results, results.isEmpty() ? null : current,
                        List.of(), new DeltaAgentException(audit.table() + ": maintenance stopped by " + stop.reason()
                        + " before " + action.action() + unitText(action) + " started")), new InterruptedException(stop.reason()));
            }
            var refusal = guard.refusal(audit.table(), current.identity().tableId(), action, current.identity().version(),
                    settings.cooldown(), clock.instant());
            if (refusal.isPresent() && force) {
                LOG.warn("{}: --force: running although {}", audit.table(), refusal.get());
                skipped.add("--force: ran although " + refusal.get());
            } else if (refusal.isPresent()) {
                LOG.info("{}: {}", audit.table(), refusal.get());
                skipped.add(refusal.get());
                continue;
            }
            JobSpec spec = JobSpec.of(before.identity().location(), action, current.identity().version());
            String cluster = submitter.clusterSpec(spec);
            // the handle (a resumable backend's) and the owner let a later process settle the run if this one dies
            String handle = submitter instanceof ResumableJobSubmitter r ? r.prepare(spec) : null;
            long runId = store.submitted(new NewRun(audit.table(), current.identity().tableId(), action.action().name(),
                    write(action), submitter.backend(), cluster, current.identity().version(), clock.instant(), write(current),
                    handle, RunOwner.current(), force && refusal.isPresent(), spec.commitTag()));
            PlanCheck planned = PlanCheck.planned(action.expected());
            store.planned(runId, action.unit(), action.units(), planned);
            LOG.info("{}: {}{} submitted as run {} on {}", audit.table(), action.action(), unitText(action), runId, cluster);
            JobOutcome outcome;
            var submittedAt = clock.instant();
            try {
                stop.enterJob();
                try {
                    outcome = submitter instanceof ResumableJobSubmitter r ? r.run(spec, handle, jobTimeout) : submitter.run(spec, jobTimeout);
                } finally {
                    stop.leaveJob();
                }
            } catch (BackendException e) {
                // the backend could not run the job (after its retries): a failed run, recorded as such
                outcome = new JobOutcome(JobState.FAILED, submittedAt, clock.instant(), null, e.getMessage());
            } catch (InterruptedException e) {
                results.add(cancelled(audit.table(), runId, action, cluster, spec, current, settings, submittedAt));
                throw new Interrupted(new MaintenanceResult(audit.table(), before, plan, results, null, List.of(),
                        new DeltaAgentException(audit.table() + ": maintenance stopped by " + stop.reason() + " while run " + runId
                                + " ran")), e);
            }
            TableHealth after = null;
            String reauditError = null;
            try {
                after = reader.read(TableLocation.of(audit.table()), settings);
            } catch (TableReadException e) {
                reauditError = "re-audit after the job failed: " + e.getMessage();
            }
            Long commit = outcome.commitVersion();
            String commitInfo = commitInfos.describe(audit.table(), commit);
            String error = outcome.message() != null ? outcome.message() : reauditError;
            // what the run did goes in before its final state: whoever sees the run ended sees it complete
            if (commitInfo != null) {
                store.commitInfo(runId, commitInfo);
            }
            PlanCheck check = outcomes.judge(audit.table(), action.action(), planned, outcome, after, settings.predictionTolerance());
            store.checked(runId, check);
            store.finished(runId, RunState.of(outcome.state()), outcome.startedAt(), outcome.endedAt(), outcome.resultJson(),
                    after == null ? null : write(after), commit, error);
            LOG.info("{}: run {} {}: files {} -> {}", audit.table(), runId, outcome.state(), current.files().activeFiles(),
                    after == null ? "?" : after.files().activeFiles());
            results.add(new ActionResult(action, runId, cluster, outcome, commitInfo, check));
            if (after != null) {
                current = after;
            }
            if (outcome.state() != JobState.SUCCEEDED || after == null) {
                DeltaAgentException failure = after == null ? new DeltaAgentException(audit.table() + ": " + reauditError) : null;
                return new MaintenanceResult(audit.table(), before, plan, results, after, List.of(), failure);
            }
        }
        List<Breach> remaining = detector.detect(current, settings);
        MaintenancePlan shown = skipped.isEmpty() ? plan : new MaintenancePlan(plan.table(), plan.tableVersion(), plan.actions(),
                concat(plan.notes(), skipped));
        return new MaintenanceResult(audit.table(), before, shown, results, results.isEmpty() ? null : current, remaining, null);
    }

    /**
     * Thrown when the agent is stopped (SIGTERM, SIGINT) while a job runs: the backend was asked to cancel the job, the
     * run is recorded, and {@link #result} says what this table's maintenance did up to then.
     */
    public static final class Interrupted extends InterruptedException {
        private final transient MaintenanceResult result;

        Interrupted(MaintenanceResult result, InterruptedException cause) {
            super(cause.getMessage());
            initCause(cause);
            this.result = result;
        }

        public MaintenanceResult result() {
            return result;
        }
    }

    /**
     * Records a run whose job was cancelled because the agent was stopped. The backend has stopped the job by now; what
     * it committed before is read back from the log (its commits carry the run's tag), so the record agrees with the
     * table: CANCELLED, with the commits it made and the health re-measured.
     */
    private ActionResult cancelled(String table, long runId, PlannedAction action, String cluster, JobSpec spec,
                                   TableHealth current, TableSettings settings, java.time.Instant submittedAt) {
        List<Long> committed = List.of();
        String checked;
        try {
            committed = commitInfos.taggedCommits(table, current.identity().version(), spec.commitTag());
            checked = committed.isEmpty() ? "it committed nothing (no commit after version " + current.identity().version()
                    + " carries its tag)" : "it had committed version" + (committed.size() == 1 ? " " : "s ") + committed
                    + " before it stopped";
        } catch (java.io.IOException | RuntimeException e) {
            checked = "whether it committed is unknown: the log could not be read (" + e.getMessage() + ")";
        }
        TableHealth after = null;
        try {
            after = reader.read(TableLocation.of(table), settings);
        } catch (TableReadException e) {
            checked = checked + "; re-audit failed: " + e.getMessage();
        }
        Long commit = committed.isEmpty() ? null : committed.get(committed.size() - 1);
        String commitInfo = commitInfos.describe(table, commit);
        if (commitInfo != null) {
            store.commitInfo(runId, commitInfo);
        }
        String message = "the agent was stopped (" + stop.reason() + ") while the job ran; the backend cancelled it; " + checked;
        var ended = clock.instant();
        store.finished(runId, RunState.CANCELLED, submittedAt, ended, null, after == null ? null : write(after), commit, message);
        LOG.warn("{}: run {} CANCELLED: {}", table, runId, message);
        String result = commit == null ? null : "{\"commitVersion\":" + commit + "}";
        return new ActionResult(action, runId, cluster, new JobOutcome(JobState.CANCELLED, submittedAt, ended, result, message),
                commitInfo, null);
    }

    private static String unitText(PlannedAction action) {
        return action.units() == 1 ? "" : " (unit " + action.unit() + " of " + action.units() + ")";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
