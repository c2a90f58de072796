package io.deltaagent.maintain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.config.TableSettings;
import io.deltaagent.cost.CostEstimator;
import io.deltaagent.deltalog.DeltaLogReader;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.plan.MaintenancePlan;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.Breach;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.store.DbRetry;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobSubmitter;
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

    /** How long a CLI run waits out a history database that is away (another process holds it, a restart). */
    public static final Duration HISTORY_PATIENCE = Duration.ofSeconds(30);

    private final DeltaLogReader reader;
    private final BreachDetector detector;
    private final Planner planner;
    private final Function<String, JobSubmitter> submitters;
    private final HistoryStore store;
    private final ObjectMapper json;
    private final Clock clock;
    private final Duration jobTimeout;
    private final RunExecutor executor;
    private final boolean force;
    private final StopRequest stop;
    private final LiveRuns liveRuns;

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
        this.executor = new RunExecutor(store, reader, json, clock, new DbRetry(HISTORY_PATIENCE, Duration.ofSeconds(1)));
        this.force = force;
        this.stop = Objects.requireNonNull(stop, "stop");
        this.liveRuns = new LiveRuns(store, submitters, clock, jobTimeout);
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
        List<String> notes = new ArrayList<>();
        TableHealth current = before;
        RunGuard guard = new RunGuard(store);
        JobSubmitter submitter = submitters.apply(settings.backend());
        for (PlannedAction action : plan.actions()) {
            if (stop.requested()) {
                TableHealth after = results.isEmpty() ? null : current;
                throw new Interrupted(new MaintenanceResult(audit.table(), before, plan, results, after, remaining(after, settings),
                        new DeltaAgentException(audit.table() + ": maintenance stopped by " + stop.reason()
                        + " before " + action.action() + unitText(action) + " started")), new InterruptedException(stop.reason()));
            }
            var live = liveRuns.refusal(audit.table());
            if (live.isPresent()) {
                LOG.warn("{}: {}{}: {}", audit.table(), action.action(), unitText(action), live.get());
                notes.add(live.get());
                break; // nor any later action of the plan: the open run's job is on this table
            }
            var refusal = guard.refusal(audit.table(), action, current.identity().version(),
                    settings.cooldown(), clock.instant());
            if (refusal.isPresent() && force) {
                LOG.warn("{}: --force: running although {}", audit.table(), refusal.get());
                notes.add("--force: ran although " + refusal.get());
            } else if (refusal.isPresent()) {
                LOG.info("{}: {}", audit.table(), refusal.get());
                notes.add(refusal.get());
                continue;
            }
            RunExecutor.Started started = executor.record(audit.table(), current, action, submitter, RunOwner.current(),
                    refusal.isPresent());
            LOG.info("{}: {}{} submitted as run {} on {}", audit.table(), action.action(), unitText(action), started.runId(),
                    started.cluster());
            JobOutcome outcome;
            try {
                stop.enterJob();
                try {
                    outcome = executor.run(started, submitter, jobTimeout);
                } finally {
                    stop.leaveJob();
                }
            } catch (InterruptedException e) {
                // the cancel may have come after the job had finished (result written, commit made): then it succeeded
                outcome = executor.succeededBeforeCancel(started, submitter).orElse(null);
                if (outcome == null) {
                    Cancelled cancelled = cancelled(started, current, settings);
                    results.add(cancelled.result());
                    throw new Interrupted(new MaintenanceResult(audit.table(), before, plan, results, cancelled.after(),
                            remaining(cancelled.after(), settings),
                            new DeltaAgentException(audit.table() + ": maintenance stopped by " + stop.reason() + " while run "
                                    + started.runId() + " ran")), e);
                }
                LOG.warn("{}: run {}: the agent was stopped ({}) after its job had finished: recorded as the job ended", audit.table(),
                        started.runId(), stop.reason());
            }
            RunExecutor.Finished finished = executor.finish(started.runId(), audit.table(), action.action(), started.planned(),
                    outcome, settings, stop.reason());
            if (finished.recordError() != null) {
                LOG.warn("{}: {}", audit.table(), finished.recordError());
                notes.add(finished.recordError());
            }
            TableHealth after = finished.after();
            LOG.info("{}: run {} {}: files {} -> {}", audit.table(), started.runId(), outcome.state(), current.files().activeFiles(),
                    after == null ? "?" : after.files().activeFiles());
            results.add(new ActionResult(action, started.runId(), started.cluster(), outcome, finished.commitInfo(), finished.check(),
                    started.progress().runUrl(), executor.cost(started, outcome, CostEstimator.of(submitters)).orElse(null)));
            if (after != null) {
                current = after;
            }
            if (outcome.state() != JobState.SUCCEEDED || after == null) {
                DeltaAgentException failure = after == null ? new DeltaAgentException(audit.table() + ": " + finished.reauditError())
                        : null;
                return new MaintenanceResult(audit.table(), before, withNotes(plan, notes), results, after, List.of(), failure);
            }
        }
        List<Breach> remaining = detector.detect(current, settings);
        return new MaintenanceResult(audit.table(), before, withNotes(plan, notes), results, results.isEmpty() ? null : current,
                remaining, null);
    }

    /** What is still due on the table re-measured ({@code after}), for the audit sample a stopped maintain records. */
    private List<Breach> remaining(TableHealth after, TableSettings settings) {
        return after == null ? List.of() : detector.detect(after, settings);
    }

    private static MaintenancePlan withNotes(MaintenancePlan plan, List<String> notes) {
        return notes.isEmpty() ? plan : new MaintenancePlan(plan.table(), plan.tableVersion(), plan.actions(), concat(plan.notes(), notes),
                plan.notMaintainable());
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

    /** A cancelled run's result, and the table re-measured after it (null when it could not be read). */
    private record Cancelled(ActionResult result, TableHealth after) {
    }

    /**
     * Records a run whose job was cancelled because the agent was stopped. The backend has stopped the job by now; what
     * it committed before is read back from the log (its commits carry the run's tag), so the record agrees with the
     * table: CANCELLED, with the commits it made, what they did (files and bytes rewritten, for report and dashboard)
     * and the health re-measured.
     */
    private Cancelled cancelled(RunExecutor.Started started, TableHealth current, TableSettings settings)
            throws InterruptedException {
        long version = current.identity().version();
        String checked;
        List<Long> committed = List.of();
        try {
            committed = executor.taggedCommits(started.table(), version, started.spec().commitTag());
            checked = committed.isEmpty() ? "it committed nothing (no commit after version " + version + " carries its tag)"
                    : "it had committed version" + (committed.size() == 1 ? " " + committed.get(0) : "s " + committed)
                    + " before it stopped";
        } catch (DeltaAgentException e) {
            checked = "whether it committed is unknown: " + e.getMessage();
        }
        String message = "the agent was stopped (" + stop.reason() + ") while the job ran; the backend cancelled it; " + checked;
        JobOutcome outcome = new JobOutcome(JobState.CANCELLED, started.submittedAt(), clock.instant(),
                committed.isEmpty() ? null : RunExecutor.committedResult(committed), message);
        // its check has what its commits did, not judged: a cancelled job did part of the work at most
        RunExecutor.Finished finished = executor.finish(started.runId(), started.table(), started.action().action(),
                started.planned(), outcome, settings, stop.reason());
        LOG.warn("{}: run {} CANCELLED: {}", started.table(), started.runId(), message);
        return new Cancelled(new ActionResult(started.action(), started.runId(), started.cluster(), outcome, finished.commitInfo(),
                finished.check(), started.progress().runUrl(), executor.cost(started, outcome, CostEstimator.of(submitters)).orElse(null)),
                finished.after());
    }

    private static String unitText(PlannedAction action) {
        return action.units() == 1 ? "" : " (unit " + action.unit() + " of " + action.units() + ")";
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
