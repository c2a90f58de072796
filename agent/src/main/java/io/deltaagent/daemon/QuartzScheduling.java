package io.deltaagent.daemon;

import io.deltaagent.config.DaemonSettings;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.store.ActionClaim;
import io.deltaagent.store.HistoryStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.ObjectAlreadyExistsException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz on the history database: JDBC job store (StdJDBCDelegate on H2; PostgreSQLDelegate and clustering on
 * PostgreSQL, so several daemons share the schedules and take over a dead one's). One cron job per audit
 * schedule (group {@code audit}), one one-shot job per admitted table+action (group {@code action}).
 */
public final class QuartzScheduling implements ActionLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(QuartzScheduling.class);
    private static final String AUDIT = "audit";
    private static final String ACTION = "action";
    private static final String WORKER_PREFIX = "daemon-worker";
    private static final AtomicInteger DATA_SOURCES = new AtomicInteger();

    private final Scheduler scheduler;

    private QuartzScheduling(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Creates (does not start) the scheduler; {@code jobs} builds the job instances with their collaborators. */
    public static QuartzScheduling create(HistoryStore store, DaemonSettings settings, String instanceId, int threads,
                                          org.quartz.spi.JobFactory jobs) {
        String dsName = "history-" + DATA_SOURCES.incrementAndGet();
        DBConnectionManager.getInstance().addConnectionProvider(dsName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return store.dataSource().getConnection();
            }

            @Override
            public void shutdown() {
            }

            @Override
            public void initialize() {
            }
        });
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "delta-agent");
        p.setProperty("org.quartz.scheduler.instanceId", instanceId);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.idleWaitTime", "5000");
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        p.setProperty("org.quartz.threadPool.threadNamePrefix", WORKER_PREFIX);
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.dataSource", dsName);
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.useProperties", "true");
        // an audit cycle that fires more than 5 s late is skipped (misfire: do nothing), not caught up back to back
        p.setProperty("org.quartz.jobStore.misfireThreshold", "5000");
        p.setProperty("org.quartz.jobStore.dbRetryInterval", "5000");
        if (store.isPostgres()) {
            p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
            p.setProperty("org.quartz.jobStore.isClustered", "true");
            p.setProperty("org.quartz.jobStore.clusterCheckinInterval", String.valueOf(settings.clusterCheckinInterval().toMillis()));
        } else {
            p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.StdJDBCDelegate");
            p.setProperty("org.quartz.jobStore.isClustered", "false");
        }
        try {
            StdSchedulerFactory factory = new StdSchedulerFactory(p);
            Scheduler scheduler = factory.getScheduler();
            scheduler.setJobFactory(jobs);
            return new QuartzScheduling(scheduler);
        } catch (SchedulerException e) {
            throw new DeltaAgentException("cannot create the scheduler on " + store.describe() + ": " + e.getMessage(), e);
        }
    }

    public void start() {
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new DeltaAgentException("cannot start the scheduler: " + e.getMessage(), e);
        }
    }

    public boolean started() {
        try {
            return scheduler.isStarted() && !scheduler.isInStandbyMode() && !scheduler.isShutdown();
        } catch (SchedulerException e) {
            return false;
        }
    }

    /** Makes the cron jobs match {@code schedules}: adds or updates each, removes those no longer used. */
    public void syncSchedules(List<String> schedules) {
        try {
            Set<JobKey> wanted = new HashSet<>();
            for (String cron : schedules) {
                JobKey key = new JobKey("cycle-" + hash(cron), AUDIT);
                wanted.add(key);
                JobDetail job = JobBuilder.newJob(AuditCycleJob.class).withIdentity(key).storeDurably()
                        .withDescription("audit cycle on '" + cron + "'").usingJobData(AuditCycleJob.SCHEDULE, cron).build();
                Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key.getName(), AUDIT).forJob(key)
                        .withSchedule(CronScheduleBuilder.cronSchedule(cron).inTimeZone(TimeZone.getTimeZone("UTC"))
                                .withMisfireHandlingInstructionDoNothing())
                        .build();
                scheduler.scheduleJob(job, Set.of(trigger), true);
            }
            for (JobKey key : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(AUDIT))) {
                if (!wanted.contains(key)) {
                    scheduler.deleteJob(key);
                    LOG.info("audit schedule {} removed", key.getName());
                }
            }
            LOG.info("audit schedules: {}", schedules);
        } catch (SchedulerException e) {
            throw new DeltaAgentException("cannot store the audit schedules: " + e.getMessage(), e);
        }
    }

    @Override
    public void launch(ActionClaim claim) {
        JobKey key = actionKey(claim.table(), claim.action());
        JobDetail job = JobBuilder.newJob(ActionJob.class).withIdentity(key).requestRecovery(true)
                .withDescription(claim.action() + " on " + claim.table())
                .usingJobData(ActionJob.TABLE, claim.table()).usingJobData(ActionJob.ACTION, claim.action()).build();
        Trigger trigger = TriggerBuilder.newTrigger().withIdentity(key.getName(), ACTION).forJob(key).startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow()).build();
        try {
            scheduler.scheduleJob(job, trigger);
        } catch (ObjectAlreadyExistsException e) {
            LOG.debug("{}: the {} job is already scheduled", claim.table(), claim.action());
        } catch (SchedulerException e) {
            throw new DeltaAgentException(claim.table() + ": cannot schedule the " + claim.action() + " job: " + e.getMessage(), e);
        }
    }

    /** Launches the job of every claim that has none (its daemon died between claiming and scheduling). */
    @Override
    public void launchOrphans(List<ActionClaim> claims) {
        for (ActionClaim c : claims) {
            try {
                if (!scheduler.checkExists(actionKey(c.table(), c.action()))) {
                    LOG.info("{}: {} claim of {} has no job; scheduling it to follow its run", c.table(), c.action(), c.owner());
                    launch(c);
                }
            } catch (SchedulerException e) {
                LOG.warn("{}: cannot check the {} job: {}", c.table(), c.action(), e.getMessage());
            }
        }
    }

    /** Stops firing triggers (jobs running go on). */
    public void standby() {
        try {
            scheduler.standby();
        } catch (SchedulerException e) {
            LOG.warn("cannot put the scheduler in standby: {}", e.getMessage());
        }
    }

    /** Waits at most {@code max} until no audit job is executing (Quartz records its completion after the cycle returns). */
    public void awaitAuditJobs(java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        try {
            while (System.nanoTime() < deadline && scheduler.getCurrentlyExecutingJobs().stream()
                    .anyMatch(j -> AUDIT.equals(j.getJobDetail().getKey().getGroup()))) {
                Thread.sleep(50);
            }
        } catch (SchedulerException e) {
            LOG.debug("cannot list the executing jobs: {}", e.getMessage());
        }
    }

    /**
     * Shuts the scheduler down without waiting for running jobs: they are recorded and resumed at the next start.
     * Quartz interrupts its scheduler thread on shutdown; interrupted inside the job store's JDBC call, the thread closed
     * embedded H2's file channel (ClosedByInterruptException) and the database with it; and a worker still recording
     * an audit job's completion, or the scheduler thread itself, went on after shutdown returned into a job store or
     * database already closed: stack traces on a clean SIGTERM. So the scheduler is paused first (standby), its threads
     * are given a few seconds to leave the database (a worker following an action job is not waited for), and shutdown
     * waits for the scheduler thread to end.
     */
    public void shutdown() {
        try {
            scheduler.standby();
            String prefix = scheduler.getSchedulerName() + "_QuartzSchedulerThread";
            awaitQuiet(prefix, java.time.Duration.ofSeconds(5));
            scheduler.shutdown(false);
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals(prefix)) {
                    t.join(5_000);
                }
            }
        } catch (SchedulerException e) {
            LOG.warn("cannot shut the scheduler down: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the scheduler thread waits in its paused loop and every worker either waits for work or follows an
     * action job (which runs on, by design): none of them is then inside the job store.
     */
    private static void awaitQuiet(String schedulerThread, java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        // standby() wakes a scheduler thread that waited for a trigger's fire time: it then releases the trigger in the
        // job store before it waits in its paused loop. One look can catch it still in the old wait (notified, not yet
        // running), so the threads must be seen waiting (not blocked on the lock) for a while without a break.
        long quietSince = -1;
        while (System.nanoTime() < deadline) {
            boolean quiet = true;
            for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
                String name = t.getKey().getName();
                if (name.equals(schedulerThread)) {
                    quiet &= waiting(t.getKey()) && waitingIn(t.getValue(), "QuartzSchedulerThread");
                } else if (name.startsWith(WORKER_PREFIX)) {
                    quiet &= (waiting(t.getKey()) && waitingIn(t.getValue(), "SimpleThreadPool$WorkerThread"))
                            || Arrays.stream(t.getValue()).anyMatch(f -> f.getClassName().equals(ActionJob.class.getName()));
                }
            }
            long now = System.nanoTime();
            if (!quiet) {
                quietSince = -1;
            } else if (quietSince < 0) {
                quietSince = now;
            } else if (now - quietSince >= QUIET_FOR.toNanos()) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** How long every Quartz thread must be seen waiting before the scheduler is shut down. */
    private static final java.time.Duration QUIET_FOR = java.time.Duration.ofMillis(300);

    private static boolean waiting(Thread t) {
        Thread.State state = t.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    /** True when {@code stack} is an Object.wait called (directly or nearly) from the run method of {@code runner}. */
    private static boolean waitingIn(StackTraceElement[] stack, String runner) {
        return stack.length > 1 && "wait".equals(stack[0].getMethodName()) && Arrays.stream(stack).limit(4)
                .anyMatch(f -> f.getClassName().endsWith(runner) && f.getMethodName().equals("run"));
    }

    static JobKey actionKey(String table, String action) {
        return new JobKey(hash(table) + "-" + action.toLowerCase(), ACTION);
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
