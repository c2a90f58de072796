package io.deltaagent.daemon;

import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.cost.CostEstimate;
import io.deltaagent.health.TableHealth;
import io.deltaagent.store.HistoryStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The daemon's metrics, exposed in Prometheus text format on {@code /metrics}: per-table gauges from the
 * latest audit (with when it was last audited successfully, when an audit was last tried, and whether maintenance is due), counters of audits, actions by outcome and
 * backend failures, job durations (a histogram), bytes rewritten, estimated cost, jobs in flight, each backend's
 * circuit-breaker state, the build, and the JVM's own (memory, GC, threads, classes, CPU, uptime). Every daemon exports
 * its own view; with several daemons on one database, Prometheus' {@code instance} label tells them apart and dashboards
 * take {@code max by (table)} (docs/OPERATIONS.md). A table's gauges are removed by {@link #forget} when it leaves the config or its
 * discovery root, so dashboards do not keep showing its last values.
 */
public final class DaemonMetrics {

    /** Circuit-breaker states, one series each (resilience4j's CLOSED, OPEN, HALF_OPEN). */
    public enum CircuitState { CLOSED, OPEN, HALF_OPEN }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, TableGauges> tables = new ConcurrentHashMap<>();
    private final Map<String, AuditGauges> audits = new ConcurrentHashMap<>();
    private final Map<String, Meter> catalogNames = new ConcurrentHashMap<>();
    private final AtomicLong jobsInFlight = new AtomicLong();
    private final Clock clock;

    /** Mutable values behind one table's gauges (the registry holds gauges by weak reference to these). */
    private static final class TableGauges {
        final AtomicLong files = new AtomicLong();
        final AtomicLong averageBytes = new AtomicLong();
        final AtomicLong smallFiles = new AtomicLong();
        final AtomicLong logReadMillis = new AtomicLong();
        final AtomicLong commitsSinceCheckpoint = new AtomicLong();
        final AtomicLong logObjects = new AtomicLong();
        final List<Meter> meters = new ArrayList<>();
    }

    /**
     * When a table was last audited successfully (0 until it is), when an audit was last tried (successful or not),
     * and whether the last audit found maintenance due.
     */
    private static final class AuditGauges {
        final AtomicLong lastAuditMillis = new AtomicLong();
        final AtomicLong lastAttemptMillis = new AtomicLong();
        final AtomicLong due = new AtomicLong();
        final AtomicLong notMaintainable = new AtomicLong();
        final List<Meter> meters = new ArrayList<>();
    }

    public DaemonMetrics() {
        this(Clock.systemUTC());
    }

    /** @param clock stamps {@code deltaagent_table_last_audit_timestamp_seconds} */
    public DaemonMetrics(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry); // its listeners live as long as the daemon: never closed
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("deltaagent.jobs.in.flight", jobsInFlight, AtomicLong::get)
                .description("Maintenance jobs this daemon is running or following").register(registry);
        Gauge.builder("deltaagent.audits.stuck", () -> io.deltaagent.audit.TableAuditor.stuckReads())
                .description("Audits past their audit-timeout whose reads are still blocked in the storage client").register(registry);
    }

    /** The history database's connection pool, as HikariCP measures it ({@code hikaricp_connections_*}). */
    public void historyDatabase(HistoryStore store) {
        store.publishMetrics(registry);
    }

    public void audited(AuditOutcome outcome) {
        Counter.builder("deltaagent.audits").description("Table audits by outcome")
                .tag("outcome", outcome.timedOut() ? "timed_out" : StorageThrottle.throttled(outcome) ? "throttled"
                        : outcome.status().name().toLowerCase()).register(registry)
                .increment();
        AuditGauges a = audits.computeIfAbsent(outcome.table(), this::registerAudit);
        long now = clock.millis();
        a.lastAttemptMillis.set(now);
        if (outcome.health() != null) {
            // only an audit that read the table: a table that keeps failing must show its last-audit time ageing
            a.lastAuditMillis.set(now);
        }
        a.due.set(outcome.status() == AuditOutcome.Status.MAINTENANCE_DUE ? 1 : 0);
        if (outcome.health() != null) {
            Counter.builder("deltaagent.audit.reads").description("Audits by how the log was read: full, checksum-proven, incremental, unchanged")
                    .tag("mode", String.valueOf(outcome.health().readCost().mode())).register(registry).increment();
            measured(outcome.health());
            if (outcome.health().checksum() != null && outcome.health().checksum().disagrees()) {
                // deltaagent_checksum_mismatch_total: audits whose figures disagreed with the table's own checksum file
                Counter.builder("deltaagent.checksum.mismatch")
                        .description("Audits whose figures disagreed with the table's checksum file (_delta_log/N.crc)")
                        .tag("table", outcome.table()).register(registry).increment();
            }
        }
    }

    /** {@code deltaagent_storage_throttled_total{bucket}}: audits the store throttled (after S3A's own retries). */
    public void storageThrottled(String bucket) {
        Counter.builder("deltaagent.storage.throttled").description("Audits the store throttled (503 SlowDown, 429), by bucket")
                .tag("bucket", bucket).register(registry).increment();
    }

    /** {@code deltaagent_storage_deferred_total{bucket,reason}}: audits not started (bucket backed off, or its budget spent). */
    public void storageDeferred(String bucket, String status) {
        Counter.builder("deltaagent.storage.deferred").description("Audits deferred to a later cycle: bucket throttled or its request budget spent")
                .tag("bucket", bucket).tag("reason", status.toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
    }

    /** {@code deltaagent_table_not_maintainable}: 1 while the table's last audit found it not maintainable here. */
    public void notMaintainable(String table, boolean refused) {
        audits.computeIfAbsent(table, this::registerAudit).notMaintainable.set(refused ? 1 : 0);
    }

    /** Sets the table's gauges from a health measurement (an audit, or the re-audit after a job). */
    public void measured(TableHealth h) {
        TableGauges g = tables.computeIfAbsent(h.table(), this::register);
        g.files.set(h.files().activeFiles());
        g.averageBytes.set(h.files().averageBytes());
        g.smallFiles.set(h.files().smallFiles());
        g.logReadMillis.set(h.readCost().snapshotMillis());
        g.commitsSinceCheckpoint.set(h.log().commitsSinceCheckpoint());
        g.logObjects.set(h.log().objects());
    }

    private AuditGauges registerAudit(String table) {
        AuditGauges a = new AuditGauges();
        Tags tags = Tags.of("table", table);
        a.meters.add(Gauge.builder("deltaagent.table.last.audit.timestamp", a, x -> x.lastAuditMillis.get() / 1000.0).tags(tags)
                .baseUnit("seconds").description("When the table was last audited successfully (seconds since the epoch; 0 if never)")
                .strongReference(true).register(registry));
        a.meters.add(Gauge.builder("deltaagent.table.last.audit.attempt.timestamp", a, x -> x.lastAttemptMillis.get() / 1000.0)
                .tags(tags).baseUnit("seconds").description("When an audit of the table was last tried, successful or not "
                        + "(seconds since the epoch)").strongReference(true).register(registry));
        a.meters.add(Gauge.builder("deltaagent.table.maintenance.due", a, x -> x.due.get()).tags(tags)
                .description("1 when the table's last audit found maintenance due, else 0").strongReference(true).register(registry));
        a.meters.add(Gauge.builder("deltaagent.table.not.maintainable", a, x -> x.notMaintainable.get()).tags(tags)
                .description("1 when the table's last audit found it not maintainable here (catalog-managed, or a writer "
                        + "feature the job runtime lacks): never planned, see /api/tables").strongReference(true).register(registry));
        return a;
    }

    /**
     * {@code deltaagent_table_catalog_info{table,catalog,name} 1}: what a catalog calls the table, joined to its other
     * series on {@code table} (one series per table, as the table gauges; a rename replaces it).
     */
    public void catalogName(String table, io.deltaagent.config.CatalogTableRef ref) {
        Meter old = catalogNames.get(table);
        if (old != null && ref.catalog().equals(old.getId().getTag("catalog")) && ref.table().equals(old.getId().getTag("name"))) {
            return;
        }
        Meter info = Gauge.builder("deltaagent.table.catalog.info", () -> 1)
                .tags("table", table, "catalog", ref.catalog(), "name", ref.table())
                .description("The catalog's name for the table (value 1)").register(registry);
        old = catalogNames.put(table, info);
        if (old != null && old != info) {
            registry.remove(old);
        }
    }

    /** Removes the gauges of {@code gone} (tables the daemon no longer audits); counters stay, as Prometheus counters must. */
    public void forget(Set<String> gone) {
        for (String table : gone) {
            TableGauges g = tables.remove(table);
            if (g != null) {
                g.meters.forEach(registry::remove);
            }
            AuditGauges a = audits.remove(table);
            if (a != null) {
                a.meters.forEach(registry::remove);
            }
            Meter info = catalogNames.remove(table);
            if (info != null) {
                registry.remove(info);
            }
        }
    }

    private TableGauges register(String table) {
        TableGauges g = new TableGauges();
        Tags tags = Tags.of("table", table);
        gauge("deltaagent.table.files", g, x -> x.files.get(), tags, null, "Active data files");
        gauge("deltaagent.table.average.file.size", g, x -> x.averageBytes.get(), tags, "bytes", "Average active file size");
        gauge("deltaagent.table.small.files", g, x -> x.smallFiles.get(), tags, null, "Active files below the small-file size");
        gauge("deltaagent.table.log.read", g, x -> x.logReadMillis.get() / 1000.0, tags, "seconds",
                "Cold time to build the latest snapshot");
        gauge("deltaagent.table.commits.since.checkpoint", g, x -> x.commitsSinceCheckpoint.get(), tags, null,
                "Commits a reader replays after the last checkpoint");
        gauge("deltaagent.table.log.objects", g, x -> x.logObjects.get(), tags, null, "Objects in _delta_log");
        return g;
    }

    private void gauge(String name, TableGauges g, ToDoubleFunction<TableGauges> f, Tags tags, String unit, String help) {
        g.meters.add(Gauge.builder(name, g, f).tags(tags).baseUnit(unit).description(help).strongReference(true).register(registry));
    }

    public void action(String action, String backend, String outcome, Duration took) {
        Counter.builder("deltaagent.actions").description("Maintenance actions by outcome")
                .tags("action", action, "backend", backend, "outcome", outcome.toLowerCase()).register(registry).increment();
        if (took != null) {
            // fixed buckets from 30 s to 8 h: a histogram aggregates over daemons (quantiles of a summary cannot)
            Timer.builder("deltaagent.job.duration").description("Maintenance job durations")
                    .tags("action", action, "backend", backend, "outcome", outcome.toLowerCase())
                    .serviceLevelObjectives(JOB_DURATION_BUCKETS).minimumExpectedValue(JOB_DURATION_BUCKETS[0])
                    .maximumExpectedValue(JOB_DURATION_BUCKETS[JOB_DURATION_BUCKETS.length - 1])
                    .register(registry).record(took);
        }
    }

    /** A run that succeeded but did not do what its plan predicted (beyond {@code prediction-tolerance}). */
    public void deviated(String action, String backend) {
        Counter.builder("deltaagent.actions.deviated").description("Successful runs that deviated from their plan's prediction")
                .tags("action", action, "backend", backend).register(registry).increment();
    }

    public void backendFailure(String backend) {
        failures(backend).increment();
    }

    private Counter failures(String backend) {
        return Counter.builder("deltaagent.backend.failures").description("Backend calls that failed (could not start or follow a job)")
                .tag("backend", backend).register(registry);
    }

    public void decision(Decision.Verdict verdict) {
        Counter.builder("deltaagent.admission.decisions").description("Admission decisions by verdict")
                .tag("verdict", verdict.name().toLowerCase()).register(registry).increment();
    }

    /**
     * Registers a backend's circuit-breaker state, one series per state ({@code state="closed|open|half_open"}, 1 for the
     * current one, else 0: alerts and panels select a state by name, never by an ordinal); the backend decorator supplies it.
     */
    public void circuitBreaker(String backend, java.util.function.Supplier<CircuitState> state) {
        for (CircuitState s : CircuitState.values()) {
            Gauge.builder("deltaagent.backend.circuit.state", state, current -> current.get() == s ? 1 : 0)
                    .description("Circuit breaker per backend: 1 on the series of its current state, 0 on the others")
                    .tags("backend", backend, "state", s.name().toLowerCase()).strongReference(true).register(registry);
        }
        failures(backend); // at 0 from the start, so rate() and alerts see the series before the first failure
        bytesRewritten(backend); // likewise
    }

    public void jobStarted() {
        jobsInFlight.incrementAndGet();
    }

    public void jobEnded() {
        jobsInFlight.decrementAndGet();
    }

    // ---- the fleet budget and shadow mode (Budgeting): kept in one block of their own ----

    /** The latest budget figures per unit (currency or compute-hours): spent, remaining, limit. */
    private final Map<String, double[]> budgets = new ConcurrentHashMap<>();

    /**
     * {@code deltaagent_budget_spent}, {@code deltaagent_budget_remaining} and {@code deltaagent_budget_limit} of the day, by
     * unit and whether they are shadow mode's what-if; nothing without a budget.
     */
    public void budget(BudgetStatus status) {
        if (status.unit() == null || status.limit() == null) {
            return;
        }
        double[] v = budgets.computeIfAbsent(status.unit() + "|" + status.shadow(), k -> {
            double[] values = new double[3];
            Tags tags = Tags.of("unit", status.unit(), "shadow", String.valueOf(status.shadow()));
            Gauge.builder("deltaagent.budget.spent", values, a -> a[0]).tags(tags)
                    .description("What the day's admitted actions cost: measured where their runs ended, predicted until then")
                    .strongReference(true).register(registry);
            Gauge.builder("deltaagent.budget.remaining", values, a -> a[1]).tags(tags)
                    .description("The day's budget not yet spent").strongReference(true).register(registry);
            Gauge.builder("deltaagent.budget.limit", values, a -> a[2]).tags(tags)
                    .description("The day's budget (daemon.budget-per-day or daemon.budget-compute-hours-per-day)")
                    .strongReference(true).register(registry);
            return values;
        });
        v[0] = status.spent();
        v[1] = status.remaining();
        v[2] = status.limit();
    }

    /** {@code deltaagent_actions_deferred_total{reason}}: a due action not admitted this cycle, by why (budget, capped, ...). */
    public void deferred(String reason) {
        Counter.builder("deltaagent.actions.deferred").description("Due actions not admitted in a cycle, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    // --- issue 30: what runs did, and what the daemon is (kept together so other blocks merge beside it) ---

    /** Job duration histogram buckets ({@code le}): 30 s to 8 h. */
    private static final Duration[] JOB_DURATION_BUCKETS = {Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
        Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1),
        Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(8)};

    /** {@code deltaagent_build_info{version,commit,java} 1}: which build each daemon runs (a rollout shows two versions). */
    public void buildInfo(String version, String commit) {
        Gauge.builder("deltaagent.build.info", () -> 1)
                .tags("version", version, "commit", commit, "java", System.getProperty("java.version", "unknown"))
                .description("The daemon's build (value 1)").register(registry);
    }

    /** Adds what a run's job rewrote (its commits' removed bytes) to {@code deltaagent_bytes_rewritten_total{backend}}. */
    public void rewritten(String backend, long bytes) {
        if (bytes > 0) {
            bytesRewritten(backend).increment(bytes);
        }
    }

    private Counter bytesRewritten(String backend) {
        return Counter.builder("deltaagent.bytes.rewritten").description("Bytes of data files maintenance jobs rewrote")
                .tag("backend", backend).register(registry);
    }

    /** Adds a run's estimated cost to {@code deltaagent_estimated_cost_total{backend,currency}}. */
    public void estimatedCost(String backend, CostEstimate cost) {
        Counter.builder("deltaagent.estimated.cost").description("Estimated compute cost of maintenance runs (configured prices)")
                .tags("backend", backend, "currency", cost.currency()).register(registry).increment(cost.amount().doubleValue());
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
