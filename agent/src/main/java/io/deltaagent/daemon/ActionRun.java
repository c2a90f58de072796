package io.deltaagent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.config.Durations;
import io.deltaagent.config.TableEntry;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.maintain.RunExecutor;
import io.deltaagent.maintain.RunRows;
import io.deltaagent.plan.MaintenancePlan;
import io.deltaagent.plan.PlanCheck;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.store.ActionClaim;
import io.deltaagent.store.ActionClaims;
import io.deltaagent.store.DbRetry;
import io.deltaagent.store.HealthFigures;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.submit.BackendException;
import io.deltaagent.submit.Backends;
import io.deltaagent.submit.JobOutcome;
import io.deltaagent.submit.JobState;
import io.deltaagent.submit.JobSubmitter;
import io.deltaagent.submit.ResumableJobSubmitter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job of one admitted claim: audit the table afresh, record the run with the job's handle, run it on
 * the backend, re-audit, record the end, release the claim. A claim that already names a run (this daemon
 * restarted, or another one died) is followed by its handle to its end and recorded once: never submitted a
 * second time.
 */
public final class ActionRun {

    private static final Logger LOG = LoggerFactory.getLogger(ActionRun.class);

    private final Supplier<ConfigGeneration> generation;
    private final HistoryStore store;
    private final ActionClaims claims;
    private final Function<String, JobSubmitter> backends;
    private final Planner planner;
    private final DaemonMetrics metrics;
    private final TableStates states;
    private final ObjectMapper json;
    private final Clock clock;
    private final String instanceId;
    private final DbRetry retry;
    private final DecisionLedger ledger;
    /** Runs this process is running or following: run id to "table ACTION". */
    private final Map<Long, String> inFlight = new ConcurrentHashMap<>();

    public ActionRun(Supplier<ConfigGeneration> generation, HistoryStore store, ActionClaims claims,
                     Function<String, JobSubmitter> backends, Planner planner, DaemonMetrics metrics, TableStates states,
                     ObjectMapper json, Clock clock, String instanceId, DbRetry retry) {
        this.generation = generation;
        this.store = store;
        this.claims = claims;
        this.backends = backends;
        this.planner = planner;
        this.metrics = metrics;
        this.states = states;
        this.json = json;
        this.clock = clock;
        this.instanceId = instanceId;
        this.retry = retry;
        this.ledger = new DecisionLedger(store, Backends.costs(backends), clock);
    }

    /** Runs in this process now: run id to what it is. */
    public Map<Long, String> inFlight() {
        return Map.copyOf(inFlight);
    }

    public void execute(String table, String action, boolean recovering) throws InterruptedException {
        try (var logTable = io.deltaagent.error.LogContext.table(table)) {
            executeClaim(table, action, recovering);
        } finally {
            io.deltaagent.error.LogContext.endRun();
        }
    }

    private void executeClaim(String table, String action, boolean recovering) throws InterruptedException {
        ActionClaim claim = retry.call(() -> claims.get(table, action), table + ": read the " + action + " claim").orElse(null);
        if (claim == null) {
            LOG.info("{}: {} job has no claim (already finished); nothing to do", table, action);
            return;
        }
        boolean release = true;
        try {
            if (claim.runId() != null) {
                io.deltaagent.error.LogContext.run(claim.runId());
                follow(claim);
            } else {
                start(claim);
            }
        } catch (InterruptedException e) {
            release = false; // shutting down: the claim and the run stay for the next start to follow
            throw e;
        } catch (EndNotRecorded e) {
            release = false; // the claim (if the database takes it back) and the run stay for the next start to settle
            throw e;
        } finally {
            if (release) {
                retry.run(() -> claims.release(table, action), table + ": release the " + action + " claim");
            }
        }
    }

    private void start(ActionClaim claim) throws InterruptedException {
        ConfigGeneration g = generation.get();
        if (g.config().daemon().shadow()) {
            // a claim left from before shadow mode was turned on: shadow mode submits nothing, ever
            LOG.warn("{}: {} not started: shadow mode submits nothing; its claim is released", claim.table(), claim.action());
            ledger.notStarted(claim);
            return;
        }
        TableEntry entry = g.entryFor(claim.table());
        AuditOutcome audit = g.auditor().audit(entry);
        metrics.audited(audit);
        if (audit.health() == null) {
            LOG.warn("{}: {} not started: the table cannot be read: {}", claim.table(), claim.action(), audit.error().getMessage());
            ledger.notStarted(claim);
            return;
        }
        TableHealth before = audit.health();
        MaintenancePlan plan = planner.plan(before, audit.breaches(), entry.settings(), clock.instant());
        PlannedAction action = plan.actions().stream().filter(a -> a.action().name().equals(claim.action())).findFirst().orElse(null);
        if (action == null) {
            LOG.info("{}: {} not started: no longer due at version {}", claim.table(), claim.action(), before.identity().version());
            ledger.notStarted(claim);
            return;
        }
        RunExecutor.Attempt attempt = executor(g).attempt(new RunExecutor.Unit(claim.table(), before, action, entry.settings(),
                backends.apply(claim.backend()), instanceId, false, g.config().daemon().jobTimeout()), new ClaimWatch(claim));
        if (attempt instanceof RunExecutor.Refused refused) {
            LOG.info("{}: {}", claim.table(), refused.openRun() ? claim.action() + " " + refused.reason() : refused.reason());
            ledger.notStarted(claim);
            return;
        }
        RunExecutor.Ran ran = (RunExecutor.Ran) attempt;
        ended(ran.started().runId(), claim, entry, HealthFigures.of(before), ran.outcome(), ran.finished());
        if (ran.cost() != null) {
            metrics.estimatedCost(claim.backend(), ran.cost());
        }
    }

    /** The daemon's watch over a run: the run is linked to its claim before its job starts, and its job is counted. */
    private final class ClaimWatch implements RunExecutor.Watch {
        private final ActionClaim claim;

        ClaimWatch(ActionClaim claim) {
            this.claim = claim;
        }

        @Override
        public void recorded(RunExecutor.Started started) {
            claims.attachRun(claim.table(), claim.action(), started.runId());
            ledger.started(claim, started.runId());
            store.runs().running(started.runId(), clock.instant());
            io.deltaagent.error.LogContext.run(started.runId());
            LOG.info("{}: {}{} submitted as run {} on {} ({}), {}", claim.table(), claim.action(), started.action().unitText(),
                    started.runId(), started.backend(), started.cluster(), claim.reason());
        }

        @Override
        public JobOutcome job(RunExecutor.Started started, RunExecutor.JobCall job) throws InterruptedException {
            return track(started.runId(), claim, job);
        }

        @Override
        public void backendFailed(RunExecutor.Started started, BackendException e) {
            metrics.backendFailure(claim.backend());
        }
    }

    private void follow(ActionClaim claim) throws InterruptedException {
        RunRecord run = retry.call(() -> store.runs().run(claim.runId()), claim.table() + ": read run " + claim.runId()).orElse(null);
        if (run == null || run.state().finished()) {
            LOG.info("{}: {} run {} is already recorded as {}; releasing its claim", claim.table(), claim.action(), claim.runId(),
                    run == null ? "missing" : run.state());
            return;
        }
        ConfigGeneration g = generation.get();
        TableEntry entry = g.entryFor(claim.table());
        HealthFigures before = run.before();
        JobSubmitter submitter = backends.apply(run.backend());
        if (run.jobHandle() == null || !(submitter instanceof ResumableJobSubmitter resumable)) {
            finish(run.id(), claim, entry, before, RunRows.check(run.check()), settledFromLog(run));
            return;
        }
        Duration elapsed = Duration.between(run.submittedAt(), clock.instant());
        Duration remaining = g.config().daemon().jobTimeout().minus(elapsed);
        if (remaining.compareTo(Duration.ofMinutes(1)) < 0) {
            remaining = Duration.ofMinutes(1);
        }
        LOG.info("{}: {} run {} resumed: following its job {} (submitted {} by {})", claim.table(), claim.action(), run.id(),
                run.jobHandle(), run.submittedAt(), run.owner());
        Duration timeout = remaining;
        JobOutcome outcome = track(run.id(), claim, () -> resumable.resume(run.jobHandle(), timeout));
        PlanCheck planned = RunRows.check(run.check());
        finish(run.id(), claim, entry, before, planned, outcome);
        // the job's own times, from its backend: estimated as if this daemon had started it (a run settled from the log
        // alone, above, has no such times and stays unestimated)
        executor(generation.get()).costOfFollowed(run.id(), claim.table(), run.backend(), planned, outcome)
                .ifPresent(cost -> metrics.estimatedCost(claim.backend(), cost));
    }

    /**
     * The end of a run whose backend cannot follow a job again, as the table's log tells it: its job's commits carry the
     * run's tag. Committed: SUCCEEDED with the last of them; otherwise FAILED, state unknown (the job may not have run).
     */
    private JobOutcome settledFromLog(RunRecord run) {
        String lost = "the daemon stopped while the job ran and backend " + run.backend() + " cannot follow a job again";
        try {
            return executor(generation.get()).settleFromLog(run, lost, null);
        } catch (DeltaAgentException e) {
            return new JobOutcome(JobState.FAILED, run.startedAt(), clock.instant(), null, lost + "; state unknown: the log could "
                    + "not be read to settle it: " + e.getMessage() + "; check the table's history before running it again");
        }
    }

    /** The run's end could not be recorded: its claim is kept, so the next start follows the run again and settles it. */
    private static final class EndNotRecorded extends DeltaAgentException {
        EndNotRecorded(String message) {
            super(message);
        }
    }

    private JobOutcome track(long runId, ActionClaim claim, RunExecutor.JobCall call) throws InterruptedException {
        inFlight.put(runId, claim.table() + " " + claim.action());
        metrics.jobStarted();
        try {
            return call.call();
        } catch (BackendException e) {
            metrics.backendFailure(claim.backend());
            return new JobOutcome(JobState.FAILED, null, clock.instant(), null, e.getMessage());
        } finally {
            metrics.jobEnded();
            inFlight.remove(runId);
        }
    }

    /** The lifecycle of runs under config generation {@code g}: one executor per generation (a reload brings a new reader). */
    private RunExecutor executor(ConfigGeneration g) {
        synchronized (executors) {
            if (executors.generation != g) {
                executors.generation = g;
                executors.executor = new RunExecutor(store, g.reader().fullReads(), backends, json, clock, retry,
                        g.config().daemon().jobTimeout());
            }
            return executors.executor;
        }
    }

    private static final class ExecutorSlot {
        ConfigGeneration generation;
        RunExecutor executor;
    }

    private final ExecutorSlot executors = new ExecutorSlot();

    /** Records the end of a followed run. @param planned its prediction, null for a run recorded before predictions were kept */
    private void finish(long runId, ActionClaim claim, TableEntry entry, HealthFigures before, PlanCheck planned, JobOutcome outcome)
            throws InterruptedException {
        RunExecutor.Finished finished = executor(generation.get()).finish(runId, claim.table(),
                MaintenanceAction.valueOf(claim.action()), planned, outcome, entry.settings(), null);
        ended(runId, claim, entry, before, outcome, finished);
    }

    /** After a run's end is recorded: metrics, its log line, the table's state; an end not recorded keeps the claim. */
    private void ended(long runId, ActionClaim claim, TableEntry entry, HealthFigures before, JobOutcome outcome,
                       RunExecutor.Finished finished) {
        if (finished.recordError() != null) {
            throw new EndNotRecorded(claim.table() + ": " + finished.recordError());
        }
        ledger.ended(claim, outcome);
        TableHealth after = finished.after();
        if (after != null) {
            metrics.measured(after);
        }
        String error = finished.error();
        Duration took = outcome.startedAt() == null || outcome.endedAt() == null ? null
                : Duration.between(outcome.startedAt(), outcome.endedAt());
        metrics.action(claim.action(), claim.backend(), outcome.state().name(), took);
        if (finished.check() != null && finished.check().deviation() != null) {
            metrics.deviated(claim.action(), claim.backend());
        }
        if (finished.check() != null && finished.check().bytesRewritten() != null) {
            metrics.rewritten(claim.backend(), finished.check().bytesRewritten());
        }
        HealthFigures a = HealthFigures.of(after);
        LOG.info("{}: {} run {} {} on {}{}: files {} -> {}, smallFiles {} -> {}, bytes {} -> {}, commitsSinceCheckpoint {} -> {}, "
                        + "commit={} took={}", claim.table(), claim.action(), runId, outcome.state(), claim.backend(),
                error == null ? "" : " (" + error + ")", figure(before, HealthFigures::files), figure(a, HealthFigures::files),
                figure(before, HealthFigures::smallFiles), figure(a, HealthFigures::smallFiles),
                figure(before, HealthFigures::totalBytes), figure(a, HealthFigures::totalBytes),
                figure(before, HealthFigures::commitsSinceCheckpoint), figure(a, HealthFigures::commitsSinceCheckpoint),
                outcome.commitVersion(), took == null ? "?" : Durations.humanMillis(took.toMillis()));
        if (after != null) {
            states.putKeepingCatalog(new TableState(claim.table(), entry.settings().auditSchedule(), clock.instant(),
                    "AFTER_" + outcome.state().name(), after, java.util.List.of(), null, java.util.List.of(), null));
        }
    }

    /** A figure for a log line; "?" where unknown. */
    private static String figure(HealthFigures h, java.util.function.ToLongFunction<HealthFigures> figure) {
        return h == null ? "?" : String.valueOf(figure.applyAsLong(h));
    }
}
