package io.deltaagent.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.standalone.DeltaLog;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.audit.TableAuditor;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.submit.JobState;
import io.deltaagent.testing.FakeJobSubmitter;
import io.deltaagent.testing.H2FileOutage;
import io.deltaagent.testing.FakeJobSubmitter.Script;
import io.deltaagent.testing.LifecycleSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every branch of a CLI maintain's run lifecycle (guard, record, run, re-audit, judge, finish) through {@link Maintainer},
 * without Spark: a real table written by Delta Standalone, a real audit, a real H2 history, and {@link FakeJobSubmitter},
 * whose jobs make real tagged commits on the table. The Spark jobs themselves are MaintainCliTest's.
 */
@Tag("fast")
class MaintainerLifecycleTest {

    @TempDir
    Path tmp;

    private final FakeJobSubmitter fake = new FakeJobSubmitter();
    private final LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC());
    private HistoryStore store;
    private Path historyDir;

    @BeforeEach
    void openHistory() throws Exception {
        historyDir = Files.createDirectories(tmp.resolve("history"));
        store = HistoryStore.open("jdbc:h2:file:" + historyDir.resolve("agent"), "sa", "");
    }

    @AfterEach
    void closeHistory() {
        store.close();
    }

    private MaintenanceResult maintain(String table, AgentConfig config, Duration timeout, boolean force, StopRequest stop)
            throws InterruptedException {
        TableSettings settings = config.entryFor(table).settings();
        AuditOutcome audit = new TableAuditor(reader, new BreachDetector()).audit(config.entryFor(table));
        // a short patience with the history database: the outage test waits it out
        RunExecutor executor = new RunExecutor(store, reader, backend -> fake, LifecycleSetup.json(), Clock.systemUTC(),
                new io.deltaagent.store.DbRetry(Duration.ofSeconds(3), Duration.ofMillis(100)), timeout);
        return new Maintainer(executor, new BreachDetector(), new Planner(), backend -> fake, Clock.systemUTC(), timeout, force, stop)
                .maintain(audit, settings);
    }

    private MaintenanceResult maintain(String table) throws InterruptedException {
        return maintain(table, LifecycleSetup.config(), Duration.ofMinutes(1), false, StopRequest.never());
    }

    private static long version(String table) {
        return DeltaLog.forTable(new Configuration(), table).update().getVersion();
    }

    @Test
    void aSucceededRunIsRecordedWithItsCommitAndTheTableHealed() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);

        MaintenanceResult result = maintain(table);

        assertThat(result.status()).isEqualTo(MaintenanceResult.Status.HEALED);
        assertThat(result.after().files().activeFiles()).isEqualTo(1);
        assertThat(fake.submitted()).singleElement().satisfies(spec -> assertThat(spec.sizes()).isNotNull());
        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.commitVersion()).isEqualTo(3L).isEqualTo(version(table));
        assertThat(run.owner()).isEqualTo(RunOwner.current());
        assertThat(run.forced()).isFalse();
        assertThat(run.jobHandle()).startsWith("fake-");
        assertThat(run.commitTag()).isEqualTo(fake.submitted().get(0).commitTag());
        assertThat(run.check().deviation()).isNull();
        assertThat(run.check().filesRewritten()).isEqualTo(12L);
        assertThat(run.after().files()).isEqualTo(1);
        assertThat(store.runs().commitInfo(run.id())).hasValueSatisfying(info -> assertThat(info).contains(run.commitTag()));
    }

    @Test
    void aRunThatDidOtherThanItsPlanIsDeviated() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        fake.then(Script.COMPACT_INTO_FOUR);

        MaintenanceResult result = maintain(table);

        assertThat(result.status()).isEqualTo(MaintenanceResult.Status.DEVIATED);
        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.check().deviation()).isEqualTo("wrote 4 files, planned about 1 (prediction-tolerance 20%)");
    }

    @Test
    void aFailedJobIsRecordedFailedWithItsMessageAndTheTableUntouched() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        fake.then(Script.FAIL);

        MaintenanceResult result = maintain(table);

        assertThat(result.status()).isEqualTo(MaintenanceResult.Status.FAILED);
        assertThat(version(table)).isEqualTo(2);
        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error()).contains("executor lost");
        assertThat(run.commitVersion()).isNull();
        assertThat(run.after().files()).as("re-audited all the same").isEqualTo(12);
    }

    @Test
    void aBackendThatCannotStartTheJobFailsTheRunAndSaysWhy() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        fake.then(Script.BACKEND_DOWN);

        MaintenanceResult result = maintain(table);

        assertThat(result.status()).isEqualTo(MaintenanceResult.Status.FAILED);
        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error()).contains("the service is down");
    }

    @Test
    void aJobPastItsTimeoutIsCancelledAndRecordedTimedOut() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        fake.then(Script.HANG);

        MaintenanceResult result = maintain(table, LifecycleSetup.config(), Duration.ofMillis(300), false, StopRequest.never());

        assertThat(result.status()).isEqualTo(MaintenanceResult.Status.FAILED);
        assertThat(result.actions()).singleElement().satisfies(a -> assertThat(a.outcome().state()).isEqualTo(JobState.TIMED_OUT));
        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.TIMED_OUT);
        assertThat(run.error()).contains("timed out");
        assertThat(version(table)).isEqualTo(2);
    }

    @Test
    void aStopWhileTheJobRunsCancelsItAndRecordsWhatItHadCommitted() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        fake.then(Script.COMMIT_THEN_HANG);
        Worker worker = maintainOnWorker(table);
        assertThat(fake.awaitRunning(Duration.ofSeconds(30))).isTrue();
        worker.stop().request("SIGTERM");

        Object thrown = worker.ended().get(60, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(Maintainer.Interrupted.class);
        MaintenanceResult result = ((Maintainer.Interrupted) thrown).result();
        assertThat(result.error().getMessage()).isEqualTo(table + ": maintenance stopped by SIGTERM while run 1 ran");
        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.CANCELLED);
        assertThat(run.stoppedBy()).isEqualTo("SIGTERM");
        assertThat(run.commitVersion()).isEqualTo(3L);
        assertThat(run.error()).contains("it had committed version 3 before it stopped");
        assertThat(run.after().files()).isEqualTo(1);
    }

    @Test
    void aStopWhoseInterruptLibraryCodeSwallowedStillCancelsTheJob() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        CountDownLatch inLibrary = new CountDownLatch(1);
        // on its way into the wait the job passes through code that clears an interrupt and goes on (H2 recording the
        // run as running does): the stop that lands there must still cancel the job, not let it run to its end
        fake.then(Script.HANG).duringJob(() -> {
            inLibrary.countDown();
            while (!Thread.interrupted()) {
                Thread.onSpinWait();
            }
        });
        Worker worker = maintainOnWorker(table);
        assertThat(inLibrary.await(30, TimeUnit.SECONDS)).isTrue();
        worker.stop().request("SIGTERM");

        assertThat(worker.ended().get(60, TimeUnit.SECONDS)).isInstanceOf(Maintainer.Interrupted.class);
        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.CANCELLED);
        assertThat(run.stoppedBy()).isEqualTo("SIGTERM");
        assertThat(run.commitVersion()).as("the job was stopped before it committed").isNull();
    }

    @Test
    void aStopAfterTheJobHadEndedRecordsTheRunAsTheJobEnded() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        fake.then(Script.COMPACT_UNSEEN);
        Worker worker = maintainOnWorker(table);
        assertThat(fake.awaitRunning(Duration.ofSeconds(30))).isTrue();
        worker.stop().request("SIGTERM");

        Object ended = worker.ended().get(60, TimeUnit.SECONDS);
        assertThat(ended).as("the table's maintenance ended: its one job had finished").isInstanceOf(MaintenanceResult.class);
        assertThat(((MaintenanceResult) ended).status()).isEqualTo(MaintenanceResult.Status.HEALED);
        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.stoppedBy()).isEqualTo("SIGTERM");
        assertThat(run.commitVersion()).isEqualTo(3L);
        assertThat(run.after().files()).isEqualTo(1);
    }

    @Test
    void aForcedRunPassesTheCooldownAndIsRecordedForced() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        fake.then(Script.NO_CHANGE);
        AgentConfig cooling = LifecycleSetup.config("1h", "");
        maintain(table, cooling, Duration.ofMinutes(1), false, StopRequest.never());

        MaintenanceResult skipped = maintain(table, cooling, Duration.ofMinutes(1), false, StopRequest.never());
        assertThat(skipped.actions()).isEmpty();
        assertThat(skipped.plan().notes()).anySatisfy(n -> assertThat(n).contains("within the cooldown of 1h"));

        MaintenanceResult forced = maintain(table, cooling, Duration.ofMinutes(1), true, StopRequest.never());

        assertThat(forced.status()).isEqualTo(MaintenanceResult.Status.HEALED);
        assertThat(forced.plan().notes()).anySatisfy(n -> assertThat(n).startsWith("--force: ran although OPTIMIZE skipped: run 1")
                .contains("within the cooldown of 1h"));
        assertThat(store.runs().history(table, 10)).extracting(RunRecord::forced).containsExactly(true, false);
        assertThat(fake.submitted()).hasSize(2);
    }

    @Test
    void aSplitPlanRunsEachUnitAsItsOwnRunAndCommit() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 2);

        MaintenanceResult result = maintain(table);

        assertThat(result.status()).isEqualTo(MaintenanceResult.Status.HEALED);
        List<RunRecord> runs = store.runs().history(table, 10).stream().sorted(Comparator.comparingLong(RunRecord::id)).toList();
        assertThat(runs).extracting(RunRecord::unit).containsExactly(1, 2);
        assertThat(runs).extracting(RunRecord::units).containsExactly(2, 2);
        assertThat(runs).extracting(RunRecord::commitVersion).containsExactly(3L, 4L);
        assertThat(runs).extracting(RunRecord::state).containsOnly(RunState.SUCCEEDED);
        assertThat(runs.get(0).commitTag()).isNotEqualTo(runs.get(1).commitTag());
        assertThat(fake.submitted()).extracting(s -> s.where()).containsExactly("`date` IN ('2024-02-01')", "`date` IN ('2024-02-02')");
        assertThat(result.after().files().activeFiles()).isEqualTo(2);
    }

    @Test
    void aFailedUnitLeavesTheRestOfThePlanUnstarted() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 2);
        fake.then(Script.FAIL);

        MaintenanceResult result = maintain(table);

        assertThat(result.status()).isEqualTo(MaintenanceResult.Status.FAILED);
        assertThat(fake.submitted()).hasSize(1);
        assertThat(store.runs().history(table, 10)).singleElement().satisfies(r -> {
            assertThat(r.unit()).isEqualTo(1);
            assertThat(r.state()).isEqualTo(RunState.FAILED);
        });
    }

    @Test
    void aRunWhoseEndCannotBeRecordedStaysOpenAndItsOutcomeIsStillReported() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        // the database goes away while the job runs: its file is replaced by a directory H2 cannot open
        H2FileOutage outage = new H2FileOutage(historyDir.resolve("agent.mv.db"), tmp.resolve("agent.mv.db.aside"));
        fake.duringJob(outage::begin);

        MaintenanceResult result = maintain(table);

        outage.end();
        assertThat(result.actions()).singleElement().satisfies(a -> assertThat(a.outcome().state()).isEqualTo(JobState.SUCCEEDED));
        assertThat(result.plan().notes()).anySatisfy(n -> assertThat(n).startsWith("the end of run 1 could not be recorded in "
                + "the history database").contains("it stays open there until the next maintain or daemon start settles it"));
        assertThat(version(table)).isEqualTo(3);
        assertThat(store.runs().history(table, 10)).singleElement().satisfies(r -> {
            assertThat(r.state()).isIn(RunState.SUBMITTED, RunState.RUNNING);
            assertThat(r.endedAt()).isNull();
        });
    }

    @Test
    void aRunLeftOpenByAKilledProcessIsSettledFromItsJobOrTheLog() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        AgentConfig config = LifecycleSetup.config();
        TableSettings settings = config.entryFor(table).settings();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String deadOwner = RunOwner.current().replaceAll(":\\d+$", ":" + gone.pid());
        assertThat(RunOwner.gone(deadOwner, java.time.Instant.now())).isTrue();
        // the killed process recorded its run and started the job, which committed and ended after it died
        AuditOutcome audit = new TableAuditor(reader, new BreachDetector()).audit(config.entryFor(table));
        var action = new Planner().plan(audit.health(), audit.breaches(), settings, java.time.Instant.now()).actions().get(0);
        RunExecutor executor = new RunExecutor(store, reader, backend -> fake, LifecycleSetup.json(), Clock.systemUTC(),
                new io.deltaagent.store.DbRetry(Duration.ofSeconds(5), Duration.ofMillis(100)), Duration.ofHours(1));
        RunExecutor.Started started = executor.record(table, audit.health(), action, fake, deadOwner, false);
        fake.run(started.spec(), started.handle(), Duration.ofMinutes(1));

        Reconciler reconciler = new Reconciler(store, reader, backend -> fake, LifecycleSetup.json(), Clock.systemUTC(),
                Duration.ofHours(1));
        List<Reconciler.Settled> settled = reconciler.reconcile(java.util.Map.of(table, settings));

        assertThat(settled).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(s.commitVersion()).isEqualTo(3L);
            assertThat(s.reason()).contains("ended while the job ran; settled from the job's result");
        });
        RunRecord run = store.runs().run(started.runId()).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.after().files()).isEqualTo(1);
        assertThat(run.check().deviation()).isNull();
        assertThat(reconciler.reconcile(java.util.Map.of(table, settings))).as("settled once").isEmpty();
    }

    @Test
    void aRunLeftOpenOnABackendThatCannotFollowItIsSettledFromTheLogByItsTag() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        AgentConfig config = LifecycleSetup.config();
        TableSettings settings = config.entryFor(table).settings();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String deadOwner = RunOwner.current().replaceAll(":\\d+$", ":" + gone.pid());
        AuditOutcome audit = new TableAuditor(reader, new BreachDetector()).audit(config.entryFor(table));
        var action = new Planner().plan(audit.health(), audit.breaches(), settings, java.time.Instant.now()).actions().get(0);
        // a backend without handles: only the log can tell how its job ended
        io.deltaagent.submit.JobSubmitter plain = new io.deltaagent.submit.JobSubmitter() {
            @Override
            public String backend() {
                return "fake";
            }

            @Override
            public String clusterSpec(io.deltaagent.submit.JobSpec spec) {
                return "in-memory fake";
            }

            @Override
            public io.deltaagent.submit.JobOutcome run(io.deltaagent.submit.JobSpec spec, Duration timeout)
                    throws InterruptedException {
                return fake.run(spec, timeout);
            }
        };
        RunExecutor executor = new RunExecutor(store, reader, backend -> fake, LifecycleSetup.json(), Clock.systemUTC(),
                new io.deltaagent.store.DbRetry(Duration.ofSeconds(5), Duration.ofMillis(100)), Duration.ofHours(1));
        RunExecutor.Started committed = executor.record(table, audit.health(), action, plain, deadOwner, false);
        plain.run(committed.spec(), Duration.ofMinutes(1));

        List<Reconciler.Settled> settled = new Reconciler(store, reader, backend -> plain, LifecycleSetup.json(),
                Clock.systemUTC(), Duration.ofHours(1)).reconcile(java.util.Map.of(table, settings));

        assertThat(settled).singleElement().satisfies(s -> {
            assertThat(s.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(s.commitVersion()).isEqualTo(3L);
            assertThat(s.reason()).contains("settled from the log: commit [3] carry its tag " + committed.spec().commitTag());
        });

        // one that left no commit: FAILED, state unknown, naming what was checked
        RunExecutor.Started nothing = executor.record(table, audit.health(), action, plain, deadOwner, false);
        List<Reconciler.Settled> unknown = new Reconciler(store, reader, backend -> plain, LifecycleSetup.json(),
                Clock.systemUTC(), Duration.ofHours(1)).reconcile(java.util.Map.of(table, settings));
        assertThat(unknown).singleElement().satisfies(s -> {
            assertThat(s.runId()).isEqualTo(nothing.runId());
            assertThat(s.state()).isEqualTo(RunState.FAILED);
            assertThat(s.reason()).contains("state unknown: no commit after version 2 carries its tag " + nothing.spec().commitTag());
        });
        assertThat(store.runs().run(nothing.runId()).orElseThrow().endedAt()).isNotNull();
    }

    /** A maintain of {@code table} on a thread of its own, stoppable as a signal stops it; it ends in its result or what it threw. */
    private record Worker(StopRequest stop, CompletableFuture<Object> ended) {
    }

    private Worker maintainOnWorker(String table) {
        CompletableFuture<Object> ended = new CompletableFuture<>();
        AtomicReference<StopRequest> stop = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                ended.complete(maintain(table, LifecycleSetup.config(), Duration.ofMinutes(5), false, stop.get()));
            } catch (Throwable e) {
                ended.complete(e);
            }
        });
        stop.set(new StopRequest(thread));
        thread.start();
        return new Worker(stop.get(), ended);
    }
}
