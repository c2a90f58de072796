package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.audit.TableAuditor;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.discover.TableDiscovery;
import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.maintain.RunExecutor;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.store.ActionClaim;
import io.deltaagent.store.ActionClaims;
import io.deltaagent.store.DbRetry;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import io.deltaagent.testing.FakeJobSubmitter;
import io.deltaagent.testing.H2FileOutage;
import io.deltaagent.testing.FakeJobSubmitter.Script;
import io.deltaagent.testing.LifecycleSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's side of the run lifecycle, claim -> run -> release, through {@link ActionRun} without Spark or Quartz: a real
 * table written by Delta Standalone, a real H2 history with its claims, and {@link FakeJobSubmitter}, whose jobs make real
 * tagged commits. The daemon as a process (signals, restarts, Spark jobs) is DaemonEndToEndTest's and DaemonRestartTest's.
 */
@Tag("fast")
class ActionRunLifecycleTest {

    private static final String INSTANCE = "daemon-test-1";

    @TempDir
    Path tmp;

    private final FakeJobSubmitter fake = new FakeJobSubmitter();
    private final LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC());
    private final DaemonMetrics metrics = new DaemonMetrics();
    private final TableStates states = new TableStates();
    private HistoryStore store;
    private ActionClaims claims;
    private Path historyDir;

    @BeforeEach
    void openHistory() throws Exception {
        historyDir = Files.createDirectories(tmp.resolve("history"));
        store = HistoryStore.open("jdbc:h2:file:" + historyDir.resolve("agent"), "sa", "");
        claims = new ActionClaims(store.dataSource());
    }

    @AfterEach
    void closeHistory() {
        store.close();
    }

    private ActionRun actionRun(AgentConfig config) {
        ConfigGeneration generation = new ConfigGeneration(config, reader, new TableAuditor(reader, new BreachDetector()),
                new TableDiscovery(new Configuration(), 12));
        return new ActionRun(() -> generation, store, claims, backend -> fake, new Planner(), metrics, states,
                LifecycleSetup.json(), Clock.systemUTC(), INSTANCE, new DbRetry(Duration.ofSeconds(3), Duration.ofMillis(100)));
    }

    private void claim(String table) {
        claims.admit(existing -> List.of(new ActionClaim(table, "OPTIMIZE", "fake", INSTANCE, Instant.now(), "due", null)));
    }

    @Test
    void aClaimedActionRunsOnceIsRecordedAndItsClaimReleased() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        claim(table);

        actionRun(LifecycleSetup.config()).execute(table, "OPTIMIZE", false);

        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.owner()).isEqualTo(INSTANCE);
        assertThat(run.commitVersion()).isEqualTo(3L);
        assertThat(run.check().deviation()).isNull();
        assertThat(run.after().files()).isEqualTo(1);
        assertThat(claims.all()).as("claim released").isEmpty();
        assertThat(states.all()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo("AFTER_SUCCEEDED"));
        assertThat(metrics.scrape()).containsPattern("deltaagent_actions_total\\{[^}]*outcome=\"succeeded\"[^}]*} 1.0");
        assertThat(fake.submitted()).hasSize(1);
    }

    @Test
    void aFailedJobIsRecordedFailedAndItsClaimReleased() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        fake.then(Script.FAIL);
        claim(table);

        actionRun(LifecycleSetup.config()).execute(table, "OPTIMIZE", false);

        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error()).contains("executor lost");
        assertThat(claims.all()).isEmpty();
        assertThat(metrics.scrape()).containsPattern("deltaagent_actions_total\\{[^}]*outcome=\"failed\"[^}]*} 1.0");
    }

    @Test
    void aBackendThatCannotStartTheJobIsCountedAsABackendFailure() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        fake.then(Script.BACKEND_DOWN);
        claim(table);

        actionRun(LifecycleSetup.config()).execute(table, "OPTIMIZE", false);

        RunRecord run = store.runs().history(table, 10).get(0);
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error()).contains("the service is down");
        assertThat(claims.all()).isEmpty();
        // a failure to submit counts as much as a failure to follow a job (it used to count only the latter)
        assertThat(metrics.scrape()).containsPattern("deltaagent_backend_failures_total\\{backend=\"fake\"[^}]*} 1.0");
        assertThat(metrics.scrape()).containsPattern("deltaagent_actions_total\\{[^}]*outcome=\"failed\"[^}]*} 1.0");
    }

    @Test
    void aSplitPlanRunsOneUnitPerClaim() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 2);
        ActionRun actions = actionRun(LifecycleSetup.config("1h", ""));

        claim(table);
        actions.execute(table, "OPTIMIZE", false);
        claim(table);
        actions.execute(table, "OPTIMIZE", false); // a unit that succeeded starts no cooldown: the next follows at once
        claim(table);
        actions.execute(table, "OPTIMIZE", false); // healed: nothing left to run

        List<RunRecord> runs = store.runs().history(table, 10).stream().sorted(Comparator.comparingLong(RunRecord::id)).toList();
        // each claim plans afresh: the second finds one partition left, a plan of one unit
        assertThat(runs).extracting(RunRecord::unit).containsExactly(1, 1);
        assertThat(runs).extracting(RunRecord::units).containsExactly(2, 1);
        assertThat(runs).extracting(RunRecord::commitVersion).containsExactly(3L, 4L);
        assertThat(runs).extracting(RunRecord::state).containsOnly(RunState.SUCCEEDED);
        assertThat(fake.submitted()).extracting(s -> s.where()).containsExactly("`date` IN ('2024-02-01')", "`date` IN ('2024-02-02')");
        assertThat(claims.all()).isEmpty();
    }

    @Test
    void aClaimWhoseRunIsOpenFollowsItsJobAndNeverStartsASecond() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        AgentConfig config = LifecycleSetup.config();
        // a daemon that died had recorded its run, attached it to its claim and started the job, which still runs
        AuditOutcome audit = new TableAuditor(reader, new BreachDetector()).audit(config.entryFor(table));
        var action = new Planner().plan(audit.health(), audit.breaches(), config.entryFor(table).settings(), Instant.now())
                .actions().get(0);
        RunExecutor executor = new RunExecutor(store, reader, backend -> fake, LifecycleSetup.json(), Clock.systemUTC(),
                new DbRetry(Duration.ofSeconds(3), Duration.ofMillis(100)), Duration.ofHours(1));
        RunExecutor.Started started = executor.record(table, audit.health(), action, fake, "daemon-gone", false);
        claims.admit(existing -> List.of(new ActionClaim(table, "OPTIMIZE", "fake", "daemon-gone", Instant.now(), "due", null)));
        claims.attachRun(table, "OPTIMIZE", started.runId());
        fake.then(Script.HANG);
        CompletableFuture.runAsync(() -> {
            try {
                fake.run(started.spec(), started.handle(), Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(fake.awaitRunning(Duration.ofSeconds(10))).isTrue();

        CompletableFuture<Void> followed = CompletableFuture.runAsync(() -> {
            try {
                actionRun(config).execute(table, "OPTIMIZE", true);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(fake.awaitRunning(Duration.ofSeconds(10))).as("the restarted daemon follows the job").isTrue();
        fake.complete(started.handle());
        followed.get(30, TimeUnit.SECONDS);

        assertThat(fake.submitted()).as("never submitted a second time").hasSize(1);
        RunRecord run = store.runs().run(started.runId()).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.commitVersion()).isEqualTo(3L);
        assertThat(run.after().files()).isEqualTo(1);
        assertThat(store.runs().history(table, 10)).hasSize(1);
        assertThat(claims.all()).isEmpty();
    }

    @Test
    void aRunWhoseEndCannotBeRecordedKeepsItsClaimAndTheNextStartSettlesIt() throws Exception {
        String table = LifecycleSetup.smallFilesTable(tmp.resolve("t"), 0);
        H2FileOutage outage = new H2FileOutage(historyDir.resolve("agent.mv.db"), tmp.resolve("agent.mv.db.aside"));
        fake.duringJob(outage::begin);
        claim(table);

        assertThatThrownBy(() -> actionRun(LifecycleSetup.config()).execute(table, "OPTIMIZE", false))
                .isInstanceOf(DeltaAgentException.class)
                .hasMessageStartingWith(table + ": the end of run 1 could not be recorded in the history database");
        outage.end();
        assertThat(claims.all()).singleElement().satisfies(c -> assertThat(c.runId()).isEqualTo(1L));
        assertThat(store.runs().run(1).orElseThrow().endedAt()).isNull();

        fake.duringJob(() -> { });
        actionRun(LifecycleSetup.config()).execute(table, "OPTIMIZE", true);

        assertThat(fake.submitted()).hasSize(1);
        RunRecord run = store.runs().run(1).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.commitVersion()).isEqualTo(3L);
        assertThat(claims.all()).isEmpty();
    }
}
