package io.deltaagent.maintain;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.config.TableSettings;
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
import io.deltaagent.submit.Backends;
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

    private final BreachDetector detector;
    private final Planner planner;
    private final Function<String, JobSubmitter> submitters;
    private final Clock clock;
    private final Duration jobTimeout;
    private final RunExecutor executor;
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
        this(new RunExecutor(store, reader, submitters, json, clock, new DbRetry(HISTORY_PATIENCE, Duration.ofSeconds(1)), jobTimeout),
                detector, planner, submitters, clock, jobTimeout, force, stop);
    }

    /** Over {@code executor}, the lifecycle of each run (and its patience with the history database). */
    public Maintainer(RunExecutor executor, BreachDetector detector, Planner planner, Function<String, JobSubmitter> submitters,
                      Clock clock, Duration jobTimeout, boolean force, StopRequest stop) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.submitters = Objects.requireNonNull(submitters, "submitters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.jobTimeout = Objects.requireNonNull(jobTimeout, "jobTimeout");
        this.force = force;
        this.stop = Objects.requireNonNull(stop, "stop");
    }

    /** Maintains the table an audit measured; an audit that failed gives a failed result. */
    public MaintenanceResult maintain(AuditOutcome audit, TableSettings settings) throws InterruptedException {
        // the table, and each run while it is in flight, on every log line (JSON logs: fields of their own)
        try (var table = io.deltaagent.error.LogContext.table(audit.table())) {
            return maintainTable(audit, settings);
        } finally {
            io.deltaagent.error.LogContext.endRun();
        }
    }

    private MaintenanceResult maintainTable(AuditOutcome audit, TableSettings settings) throws InterruptedException {
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
        JobSubmitter submitter = submitters.apply(settings.backend());
        RunExecutor.Watch watch = new StopWatch(audit.table());
        for (PlannedAction action : plan.actions()) {
            if (stop.requested()) {
                TableHealth after = results.isEmpty() ? null : current;
                throw new Interrupted(new MaintenanceResult(audit.table(), before, plan, results, after, remaining(after, settings),
                        new DeltaAgentException(audit.table() + ": maintenance stopped by " + stop.reason()
                        + " before " + action.action() + action.unitText() + " started")), new InterruptedException(stop.reason()));
            }
            RunExecutor.Attempt attempt;
            try {
                attempt = executor.attempt(new RunExecutor.Unit(audit.table(), current, action, settings, submitter, RunOwner.current(),
                        force, jobTimeout), watch);
            } catch (RunExecutor.Cancelled e) {
                RunExecutor.Ran cancelled = e.ran();
                results.add(result(cancelled));
                TableHealth after = cancelled.finished().after();
                throw new Interrupted(new MaintenanceResult(audit.table(), before, plan, results, after, remaining(after, settings),
                        new DeltaAgentException(audit.table() + ": maintenance stopped by " + stop.reason() + " while run "
                                + cancelled.started().runId() + " ran")), e);
            }
            if (attempt instanceof RunExecutor.Refused refused) {
                if (refused.openRun()) {
                    LOG.warn("{}: {}{}: {}", audit.table(), action.action(), action.unitText(), refused.reason());
                    notes.add(refused.reason());
                    break; // nor any later action of the plan: the open run's job is on this table
                }
                LOG.info("{}: {}", audit.table(), refused.reason());
                notes.add(refused.reason());
                continue;
            }
            RunExecutor.Ran ran = (RunExecutor.Ran) attempt;
            if (ran.forcedPast() != null) {
                LOG.warn("{}: --force: ran although {}", audit.table(), ran.forcedPast());
                notes.add("--force: ran although " + ran.forcedPast());
            }
            RunExecutor.Finished finished = ran.finished();
            if (finished.recordError() != null) {
                LOG.warn("{}: {}", audit.table(), finished.recordError());
                notes.add(finished.recordError());
            }
            TableHealth after = finished.after();
            JobOutcome outcome = ran.outcome();
            LOG.info("{}: run {} {}: files {} -> {}", audit.table(), ran.started().runId(), outcome.state(),
                    current.files().activeFiles(), after == null ? "?" : after.files().activeFiles());
            results.add(result(ran));
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

    private static ActionResult result(RunExecutor.Ran ran) {
        RunExecutor.Started started = ran.started();
        return new ActionResult(started.action(), started.runId(), started.cluster(), ran.outcome(), ran.finished().commitInfo(),
                ran.finished().check(), started.progress().runUrl(), ran.cost());
    }

    /** The CLI's watch over a run: a stop request interrupts only the wait for the job, and is recorded with the run. */
    private final class StopWatch implements RunExecutor.Watch {
        private final String table;

        StopWatch(String table) {
            this.table = table;
        }

        @Override
        public void recorded(RunExecutor.Started started) {
            io.deltaagent.error.LogContext.run(started.runId());
            LOG.info("{}: {}{} submitted as run {} on {}", table, started.action().action(), started.action().unitText(),
                    started.runId(), started.cluster());
        }

        @Override
        public JobOutcome job(RunExecutor.Started started, RunExecutor.JobCall job) throws InterruptedException {
            stop.enterJob();
            try {
                return job.call();
            } finally {
                stop.leaveJob();
            }
        }

        @Override
        public String stoppedBy() {
            return stop.reason();
        }
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

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
