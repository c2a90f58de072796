package io.deltaagent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.config.DaemonSettings;
import io.deltaagent.config.Durations;
import io.deltaagent.config.TableEntry;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.error.TableReadException;
import io.deltaagent.health.TableHealth;
import io.deltaagent.maintain.RunGuard;
import io.deltaagent.plan.MaintenancePlan;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.plan.Planner;
import io.deltaagent.store.ActionClaim;
import io.deltaagent.store.ActionClaims;
import io.deltaagent.store.AuditSample;
import io.deltaagent.store.AuditSampleStore;
import io.deltaagent.store.HistoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One audit cycle of one schedule: audit its tables (a bounded number at once), plan each, rank the due
 * actions by gain, admit what the windows and caps allow, and launch the admitted jobs. Every decision is
 * logged with its reason and kept for {@code /api/tables}.
 */
public final class AuditCycle {

    private static final Logger LOG = LoggerFactory.getLogger(AuditCycle.class);

    /** The /api/tables status of a table audited but not maintainable here (catalog-managed, unsupported writer feature). */
    static final String NOT_MAINTAINABLE = "NOT_MAINTAINABLE";

    private final Supplier<ConfigGeneration> generation;
    private final HistoryStore store;
    private final ActionClaims claims;
    private final ActionLauncher launcher;
    private final Planner planner;
    private final DaemonMetrics metrics;
    private final TableStates states;
    private final ObjectMapper json;
    private final Clock clock;
    private final String instanceId;
    private final BooleanSupplier stopping;
    private final CycleHealth health;
    private final AuditSampleStore samples;
    private final io.deltaagent.store.CatalogNameStore catalogNames;
    private final Budgeting budgeting;
    private final StorageThrottle throttle;
    /** Tables whose being not maintainable here was logged: once each, until that changes. */
    private final java.util.Set<String> reportedNotMaintainable = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When the samples were last thinned: at most hourly, by whichever cycle comes first. */
    private volatile Instant compacted = Instant.EPOCH;

    AuditCycle(Supplier<ConfigGeneration> generation, HistoryStore store, ActionClaims claims, ActionLauncher launcher,
               Planner planner, DaemonMetrics metrics, TableStates states, ObjectMapper json, Clock clock,
               String instanceId, BooleanSupplier stopping, CycleHealth health, Budgeting budgeting,
               StorageThrottle throttle) {
        this.generation = generation;
        this.store = store;
        this.claims = claims;
        this.launcher = launcher;
        this.planner = planner;
        this.metrics = metrics;
        this.states = states;
        this.json = json;
        this.clock = clock;
        this.instanceId = instanceId;
        this.stopping = stopping;
        this.health = health;
        this.budgeting = budgeting;
        this.throttle = java.util.Objects.requireNonNull(throttle, "throttle");
        this.samples = new AuditSampleStore(store);
        this.catalogNames = new io.deltaagent.store.CatalogNameStore(store);
    }

    /** Runs one cycle of {@code schedule}; returns the admission decisions, in rank order. */
    public List<Decision> run(String schedule) throws InterruptedException {
        long t0 = System.nanoTime();
        ConfigGeneration g = generation.get();
        DaemonSettings daemon = g.config().daemon();
        List<TableEntry> tables = g.tablesOn(schedule);
        // tables whose bucket is backed off or spent its budget: not audited, kept for a later cycle
        Map<String, StorageThrottle.Deferral> deferred = new java.util.concurrent.ConcurrentHashMap<>();
        List<AuditOutcome> outcomes = audit(g, tables, daemon.maxConcurrentAudits(), throttle.cycle(daemon), deferred);
        // a discovered table that is no table any more is listed again by the next discovery (issue 26)
        outcomes.stream().filter(o -> o.error() != null && (o.error().kind() == TableReadException.Kind.NOT_FOUND
                || o.error().kind() == TableReadException.Kind.NOT_A_DELTA_TABLE)).forEach(o -> g.discovery().forget(o.table()));
        health.finished(schedule, outcomes, clock.instant());
        recordSamples(outcomes.stream().filter(o -> !StorageThrottle.throttled(o)).toList(), tables);

        Instant now = clock.instant();
        List<Candidate> candidates = new ArrayList<>();
        List<Decision> refused = new ArrayList<>();
        Map<String, TableEntry> byPath = new HashMap<>();
        tables.forEach(t -> byPath.put(t.path(), t));
        FailureBackoff backoff = new FailureBackoff(daemon.failureBackoff(), daemon.maxFailureBackoff());
        RunGuard guard = new RunGuard(store);
        int due = 0;
        int failed = 0;
        int throttled = 0;
        for (AuditOutcome o : outcomes) {
            TableEntry entry = byPath.get(o.table());
            MaintenancePlan plan = null;
            Optional<String> notHere = o.health() == null ? Optional.empty() : planner.notMaintainable(o.health(), entry == null ? null : entry.settings());
            metrics.notMaintainable(o.table(), notHere.isPresent());
            if (notHere.isPresent()) {
                // audited every cycle, never planned: said once, not retried (metric and /api/tables keep showing it)
                if (reportedNotMaintainable.add(o.table())) {
                    LOG.warn("{}: {}", o.table(), notHere.get());
                }
                plan = MaintenancePlan.notMaintainable(o.table(), o.health().identity().version(), notHere.get());
                states.put(new TableState(o.table(), schedule, now, NOT_MAINTAINABLE, o.health(), o.breaches(), plan, List.of(),
                        null, entry == null ? null : entry.catalogTable()));
                continue;
            }
            reportedNotMaintainable.remove(o.table());
            if (o.health() != null && !o.breaches().isEmpty()) {
                due++;
                plan = planner.plan(o.health(), o.breaches(), entry.settings(), now);
                if (!plan.isEmpty()) {
                    // one action per table per cycle, the first of its plan: the next cycle re-audits and plans the rest
                    PlannedAction first = plan.actions().get(0);
                    Candidate c = budgeting.forecast(Ranking.candidate(o.table(), first, entry.settings(), entry.settings().backend()),
                            o.health());
                    Optional<Decision> refusal = refusal(c, o.health(), backoff, guard, now).or(() -> budgeting.shadowRefusal(c));
                    refusal.ifPresentOrElse(refused::add, () -> candidates.add(c));
                }
            } else if (StorageThrottle.throttled(o)) {
                throttled++;
            } else if (o.error() != null) {
                failed++;
            }
            boolean slowedDown = StorageThrottle.throttled(o);
            states.put(new TableState(o.table(), schedule, now, slowedDown ? StorageThrottle.THROTTLED : o.status().name(), o.health(),
                    o.breaches(), plan, List.of(), o.error() == null ? null : o.error().getMessage() + (slowedDown ? "; retried next cycle" : ""),
                    entry == null ? null : entry.catalogTable()));
        }
        deferred.forEach((table, d) -> states.deferred(table, schedule, now, d.status(), d.reason()));
        List<Decision> decisions = new ArrayList<>(refused);
        if (!stopping.getAsBoolean() && !budgeting.shadow()) {
            // a daemon that died between claiming and scheduling left a claim without a job: schedule it now
            launcher.launchOrphans(claims.all());
        }
        if (!stopping.getAsBoolean() && !candidates.isEmpty()) {
            decisions.addAll(admit(budgeting.rank(candidates), daemon, now));
        }
        Map<String, List<String>> lines = new HashMap<>();
        for (Decision d : decisions) {
            try (var table = io.deltaagent.error.LogContext.table(d.candidate().table())) {
                LOG.info("{}", d.describe());
            }
            metrics.decision(d.verdict());
            lines.computeIfAbsent(d.candidate().table(), t -> new ArrayList<>()).add(d.describe());
        }
        lines.forEach(states::decisions);
        try {
            budgeting.record(decisions, now);
        } catch (DeltaAgentException e) {
            LOG.warn("cannot record this cycle's decisions: {}", e.getMessage());
        }
        long admitted = decisions.stream().filter(Decision::admitted).count();
        // throttled and deferred last: parsers of the earlier fields (scripts/bench-fleet) keep working
        LOG.info("audit cycle '{}': tables={} healthy={} due={} unreadable={} candidates={} admitted={} took={} throttled={} deferred={}",
                schedule, outcomes.size() + deferred.size(), outcomes.size() - due - failed - throttled, due, failed,
                candidates.size(), admitted, Durations.humanMillis((System.nanoTime() - t0) / 1_000_000), throttled, deferred.size());
        return decisions;
    }

    /** The cycle's audits into the trend (audit_sample); the history database's trouble never stops a cycle. */
    private void recordSamples(List<AuditOutcome> outcomes, List<TableEntry> tables) {
        Instant now = clock.instant();
        try {
            samples.record(outcomes.stream()
                    .map(o -> o.sample(o.health() == null ? now : o.health().measuredAt())).toList());
            Map<String, io.deltaagent.config.CatalogTableRef> names = new HashMap<>();
            tables.stream().filter(t -> t.catalogTable() != null).forEach(t -> names.put(t.path(), t.catalogTable()));
            catalogNames.record(names, now);
            if (Duration.between(compacted, now).compareTo(Duration.ofHours(1)) >= 0) {
                compacted = now;
                var done = samples.compact(now);
                LOG.debug("audit samples thinned: {} kept at a coarser resolution, {} deleted", done.promoted(), done.deleted());
            }
        } catch (DeltaAgentException e) {
            LOG.warn("cannot record this cycle's audit samples: {}", e.getMessage());
        }
    }

    private Optional<Decision> refusal(Candidate c, TableHealth health, FailureBackoff backoff, RunGuard guard, Instant now) {
        var runs = store.runs().history(c.table(), 20);
        Optional<Instant> until = backoff.until(runs, now);
        if (until.isPresent()) {
            int n = FailureBackoff.consecutiveFailures(runs);
            return Optional.of(new Decision(c, 0, Decision.Verdict.BACKING_OFF, "after " + n + " consecutive failed runs, not before "
                    + until.get()));
        }
        return guard.refusal(c.table(), c.action(), health.identity().version(),
                        c.settings().cooldown(), now)
                .map(why -> new Decision(c, 0, Decision.Verdict.COOLDOWN, why));
    }

    private List<Decision> admit(List<Candidate> ranked, DaemonSettings daemon, Instant now) {
        if (budgeting.shadow()) {
            // decided as if nothing ran elsewhere, recorded, never claimed or launched
            return Admission.decide(ranked, List.of(), daemon, now, budgeting.gate(now));
        }
        List<Decision> decisions = new ArrayList<>();
        BudgetStatus budget = budgeting.status(now);
        List<ActionClaim> admitted = claims.admit(inFlight -> {
            decisions.clear();
            decisions.addAll(Admission.decide(ranked, inFlight, daemon, now, budgeting.gate(budget)));
            return decisions.stream().filter(Decision::admitted)
                    .map(d -> new ActionClaim(d.candidate().table(), d.candidate().actionName(), d.candidate().backend(),
                            instanceId, now, "rank " + d.rank() + ", " + d.candidate().why(), null))
                    .toList();
        });
        for (ActionClaim claim : admitted) {
            try {
                launcher.launch(claim);
            } catch (RuntimeException e) {
                LOG.error("{}: cannot schedule the {} job: {}; the claim is released", claim.table(), claim.action(), e.getMessage());
                claims.release(claim.table(), claim.action());
            }
        }
        return decisions;
    }

    private List<AuditOutcome> audit(ConfigGeneration g, List<TableEntry> tables, int parallelism, StorageThrottle.Cycle throttling,
                                     Map<String, StorageThrottle.Deferral> deferred) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, tables.size())), r -> {
            Thread t = new Thread(r, "audit");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<AuditOutcome>> futures = new ArrayList<>();
            for (TableEntry t : throttle.waitingFirst(tables)) {
                futures.add(pool.submit(() -> auditOne(g, t, throttling, deferred)));
            }
            List<AuditOutcome> out = new ArrayList<>();
            for (Future<AuditOutcome> f : futures) {
                try {
                    AuditOutcome o = f.get();
                    if (o != null) {
                        out.add(o);
                    }
                } catch (ExecutionException e) {
                    throw new IllegalStateException("an audit failed unexpectedly", e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The audit of {@code entry}, or null when its bucket makes it wait (then it is in {@code deferred}). */
    private AuditOutcome auditOne(ConfigGeneration g, TableEntry entry, StorageThrottle.Cycle throttling,
                                  Map<String, StorageThrottle.Deferral> deferred) {
        // decided when the audit would start, not when the cycle began: a bucket throttled by an audit of this
        // cycle stops the ones still queued
        Optional<StorageThrottle.Deferral> wait = throttling.deferral(entry.path());
        if (wait.isPresent()) {
            deferred.put(entry.path(), wait.get());
            LOG.info("{}: audit {}: {}", entry.path(), wait.get().status(), wait.get().reason());
            return null;
        }
        long t0 = System.nanoTime();
        AuditOutcome o = g.auditor().audit(entry);
        throttling.ended(o);
        metrics.audited(o);
        if (entry.catalogTable() != null) {
            metrics.catalogName(entry.path(), entry.catalogTable());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (StorageThrottle.throttled(o)) {
            LOG.warn("{}: audit THROTTLED: {}; retried next cycle; took={}", o.table(), o.error().getMessage(), Durations.humanMillis(ms));
        } else if (o.health() == null) {
            LOG.warn("{}: audit ERROR: {}; took={}", o.table(), o.error().getMessage(), Durations.humanMillis(ms));
        } else {
            TableHealth h = o.health();
            LOG.info("{}: audit {}: version={} files={} avgBytes={} smallFiles={} commitsSinceCheckpoint={} logObjects={} "
                            + "logRead={} breaches={} took={}", o.table(), o.status(), h.identity().version(), h.files().activeFiles(),
                    h.files().averageBytes(), h.files().smallFiles(), h.log().commitsSinceCheckpoint(), h.log().objects(),
                    Durations.humanMillis(h.readCost().snapshotMillis()), o.breaches().size(), Durations.humanMillis(ms));
        }
        return o;
    }
}
