package io.deltaagent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.DaemonSettings;
import io.deltaagent.error.ConfigException;
import io.deltaagent.plan.Planner;
import io.deltaagent.store.ActionClaims;
import io.deltaagent.store.DbRetry;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.submit.JobSubmitter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.quartz.spi.JobFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-running agent: Quartz fires audit cycles per schedule and the jobs they admit; the history
 * database holds schedules, claims and runs. Lifecycle: {@link #start}, any number of {@link #reload}s,
 * {@link #stop} (bounded wait for audits, running jobs recorded and left to the next start).
 */
public final class Daemon {

    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

    private final AtomicReference<ConfigGeneration> generation;
    private final Function<AgentConfig, ConfigGeneration> generations;
    private final Function<String, JobSubmitter> backends;
    private final HistoryStore store;
    private final ActionClaims claims;
    private final DaemonMetrics metrics;
    private final TableStates states;
    private final String instanceId;
    private final CycleTracker tracker = new CycleTracker();
    private final QuartzScheduling scheduling;
    private final AuditCycle cycle;
    private final ActionRun actions;
    private final Budgeting budgeting;
    private volatile boolean stopped;
    private final ObjectMapper json;
    private final Clock clock;
    private final CycleHealth cycleHealth = new CycleHealth();

    /**
     * @param generations builds a config generation (reader, auditor, discovery) from a loaded config
     * @param backends the job submitter for a backend name (the seam where remote backends and their
     *                 circuit breakers plug in); unknown names throw
     */
    public Daemon(AgentConfig config, Function<AgentConfig, ConfigGeneration> generations, Function<String, JobSubmitter> backends,
                  HistoryStore store, DaemonMetrics metrics, ObjectMapper json, Clock clock, String instanceId) {
        this.generations = Objects.requireNonNull(generations, "generations");
        this.backends = Objects.requireNonNull(backends, "backends");
        this.store = Objects.requireNonNull(store, "store");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
        this.json = Objects.requireNonNull(json, "json");
        this.clock = Objects.requireNonNull(clock, "clock");
        checkBackend(config);
        this.generation = new AtomicReference<>(generations.apply(config));
        this.claims = new ActionClaims(store.dataSource());
        this.states = new TableStates();
        Planner planner = new Planner(io.deltaagent.submit.Backends.jobRuntimes(backends));
        DaemonSettings settings = config.daemon();
        this.actions = new ActionRun(generation::get, store, claims, backends, planner, metrics, states, json, clock, instanceId,
                new DbRetry(Duration.ofMinutes(10), Duration.ofSeconds(1)));
        JobFactory jobs = (bundle, scheduler) -> bundle.getJobDetail().getJobClass() == ActionJob.class
                ? new ActionJob(actions) : new AuditCycleJob(this::runCycle, tracker);
        this.scheduling = QuartzScheduling.create(store, settings, instanceId, quartzThreads(settings), jobs);
        this.budgeting = new Budgeting(() -> generation.get().config().daemon(), store, io.deltaagent.submit.Backends.costs(backends),
                metrics, instanceId);
        this.cycle = new AuditCycle(generation::get, store, claims, scheduling, planner, metrics, states, json, clock, instanceId,
                tracker::stopping, cycleHealth, budgeting,
                new StorageThrottle(io.deltaagent.storage.throttle.BucketBackoff.withJitter(clock), metrics));
    }

    /** Quartz's workers: one per job in flight, and four for audit cycles. */
    private static int quartzThreads(DaemonSettings settings) {
        return settings.maxConcurrentJobs() + 4;
    }

    /** History-database connections a daemon needs: Quartz's workers, its misfire and cluster threads, the HTTP API. */
    public static int historyConnections(DaemonSettings settings) {
        return quartzThreads(settings) + 4;
    }

    /**
     * Every backend the tables name must build (a reloaded config may name one set up under backends:); the default one
     * only when discovered tables will use it. A daemon with no tables yet (the image's default config) starts without
     * the local backend, which the slim archive and the image do not carry.
     */
    private void checkBackend(AgentConfig config) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        config.tables().forEach(t -> names.add(t.settings().backend()));
        if (!config.discoverRoots().isEmpty()) {
            names.add(config.defaultSettings().backend());
        }
        for (String name : names) {
            try {
                backends.apply(name);
            } catch (RuntimeException e) {
                throw new ConfigException("backend " + name + " is not available: " + e.getMessage(), e);
            }
        }
    }

    public void start() {
        scheduling.syncSchedules(generation.get().schedules());
        scheduling.start();
        if (settings().shadow()) {
            LOG.info("shadow mode: every decision is made and recorded, nothing is submitted (daemon.shadow / --shadow)");
        } else {
            scheduling.launchOrphans(claims.all());
        }
        reconcileCliRuns();
        LOG.info("daemon {} started on {}: schedules {}, max {} jobs", instanceId, store.describe(),
                generation.get().schedules(), generation.get().config().daemon().maxConcurrentJobs());
    }

    /**
     * Settles, in the background, the runs a {@code maintain} on this host left open when it died (its own runs the
     * daemon follows through their claims): history agrees with the tables before their first cycle acts on it.
     */
    private void reconcileCliRuns() {
        ConfigGeneration g = generation.get();
        Thread reconcile = new Thread(() -> {
            try {
                java.util.Map<String, io.deltaagent.config.TableSettings> tables = new java.util.LinkedHashMap<>();
                for (String schedule : g.schedules()) {
                    g.tablesOn(schedule).forEach(t -> tables.putIfAbsent(t.path(), t.settings()));
                }
                new io.deltaagent.maintain.Reconciler(store, g.reader().fullReads(), backends, json, clock,
                        g.config().daemon().jobTimeout()).reconcile(tables);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("cannot settle the runs maintain left open: {}", e.getMessage());
            }
        }, "reconcile-cli-runs");
        reconcile.setDaemon(true);
        reconcile.start();
    }

    /**
     * Swaps in a new config (already loaded and validated) and updates the schedules. The HTTP address,
     * instance id and cluster check-in interval take effect at the next start.
     */
    public void reload(AgentConfig config) {
        checkBackend(config);
        ConfigGeneration next = generations.apply(config);
        DaemonSettings old = generation.get().config().daemon();
        if (!old.httpAddress().equals(config.daemon().httpAddress()) || !Objects.equals(old.instanceId(), config.daemon().instanceId())) {
            LOG.warn("config reloaded: daemon.http-address and daemon.instance-id changes take effect at the next start");
        }
        scheduling.syncSchedules(next.schedules()); // first: when the scheduler refuses, the old config stays in force
        generation.set(next);
        forget(states.retainSchedules(next.schedules()));
        LOG.info("config reloaded: {} listed tables, {} discovery roots, schedules {}", config.tables().size(),
                config.discoverRoots().size(), next.schedules());
    }

    /**
     * Runs one cycle of {@code schedule} in the calling thread (Quartz's job, tests, and operators through the API later),
     * then forgets the tables of that schedule the cycle no longer found (removed from the config or their root): their
     * state leaves {@code /api/tables} and their gauges leave {@code /metrics}.
     */
    public java.util.List<Decision> runCycle(String schedule) throws InterruptedException {
        java.time.Instant start = clock.instant();
        java.util.List<Decision> decisions = cycle.run(schedule);
        java.util.Set<String> gone = Retirement.gone(generation.get(), states, schedule, start);
        states.remove(gone);
        forget(gone);
        return decisions;
    }

    private void forget(java.util.Set<String> gone) {
        if (!gone.isEmpty()) {
            metrics.forget(gone);
            LOG.info("no longer audited (left the config or its discovery root): {}", gone);
        }
    }

    /**
     * Stops new work, waits at most the shutdown grace for audits in flight, records the jobs still running
     * (they carry on, and the next start follows them to their end) and stops the scheduler.
     */
    public void stop() throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        Duration grace = generation.get().config().daemon().shutdownGrace();
        LOG.info("stopping: no new work; waiting up to {} for audits in flight", io.deltaagent.config.Durations.toConfigString(grace));
        scheduling.standby();
        if (!tracker.stopAndAwait(grace)) {
            LOG.warn("stopping: audits still running after {}; their results are dropped", grace);
        }
        Map<Long, String> running = actions.inFlight();
        for (Map.Entry<Long, String> e : running.entrySet()) {
            LOG.info("{}: run {} left running (state RUNNING in the history); the next start follows it to its end",
                    e.getValue(), e.getKey());
        }
        scheduling.awaitAuditJobs(Duration.ofSeconds(2));
        scheduling.shutdown();
        LOG.info("stopped: jobsLeftRunning={}", running.size());
    }

    public boolean ready() {
        return notReady().isEmpty();
    }

    /** Why the daemon is not ready (stopping, scheduler down, database unreachable, audits all timing out), or empty. */
    public java.util.Optional<String> notReady() {
        if (stopped) {
            return java.util.Optional.of("stopping");
        }
        if (!scheduling.started()) {
            return java.util.Optional.of("the scheduler is not running");
        }
        if (!store.reachable()) {
            return java.util.Optional.of("the history database " + store.describe() + " is unreachable");
        }
        return cycleHealth.problem();
    }

    public boolean stopped() {
        return stopped;
    }

    private DaemonSettings settings() {
        return generation.get().config().daemon();
    }

    /** The day's budget (or shadow mode's what-if of it) as the history database tells it. */
    public BudgetStatus budget() {
        return budgeting.status(clock.instant());
    }

    public TableStates states() {
        return states;
    }

    public HistoryStore store() {
        return store;
    }

    public DaemonMetrics metrics() {
        return metrics;
    }

    public String instanceId() {
        return instanceId;
    }
}
