package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.deltaagent.audit.TableAuditor;
import io.deltaagent.config.AgentConfig;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.cost.CostEstimator;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.discover.TableDiscovery;
import io.deltaagent.plan.Planner;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.store.ActionClaim;
import io.deltaagent.store.ActionClaims;
import io.deltaagent.store.DbRetry;
import io.deltaagent.store.DecisionRow;
import io.deltaagent.store.DecisionStore;
import io.deltaagent.store.HistoryStore;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.DeltaFiles;
import io.deltaagent.testing.FakeJobSubmitter;
import io.deltaagent.testing.LifecycleSetup;
import io.deltaagent.testing.StandaloneTables;
import io.deltaagent.storage.TablePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget and shadow mode through real audit cycles (no Quartz, no Spark): tables written by Delta Standalone, a real
 * H2 history, launches recorded (or failing the test in shadow mode).
 */
@Tag("fast")
class BudgetCycleTest {

    private static final String SCHEDULE = "0 */15 * * * ?";
    private static final Clock AT_2AM = Clock.fixed(Instant.parse("2026-03-01T02:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    private final LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC());
    private final DaemonMetrics metrics = new DaemonMetrics();
    private final TableStates states = new TableStates();
    private final List<ActionClaim> launched = new ArrayList<>();
    private HistoryStore store;
    private String big;
    private String mid;
    private String small;

    @BeforeEach
    void tables() throws Exception {
        // 18, 12 and 6 small files: OPTIMIZE removes 17, 11 and 5 of them for about the same predicted minute of compute
        big = table("big", 6);
        mid = table("mid", 4);
        small = table("small", 2);
        store = open();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private HistoryStore open() throws Exception {
        return HistoryStore.open("jdbc:h2:file:" + Files.createDirectories(tmp.resolve("history")).resolve("agent"), "sa", "");
    }

    private String table(String name, int filesPerCommit) {
        StandaloneTables.write(tmp.resolve(name), LifecycleSetup.COMMITS, filesPerCommit, 1000, 0, 0);
        return TablePaths.canonical(tmp.resolve(name).toString());
    }

    private AgentConfig config(String daemon) {
        return new ConfigLoader().parse("budget.yaml", "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n"
                + "  min-small-files: 5\n  cooldown: 0s\ntables:\n  - path: " + big + "\n  - path: " + mid + "\n  - path: " + small
                + "\ndaemon:\n  max-concurrent-jobs: 10\n" + daemon);
    }

    private AuditCycle cycle(AgentConfig config, ActionLauncher launcher) {
        ConfigGeneration g = new ConfigGeneration(config, reader, new TableAuditor(reader, new BreachDetector()),
                new TableDiscovery(new Configuration(), 12));
        Budgeting budgeting = new Budgeting(() -> config.daemon(), store, CostEstimator.NONE, metrics, "daemon-1");
        return new AuditCycle(() -> g, store, new ActionClaims(store.dataSource()), launcher, new Planner(), metrics, states,
                LifecycleSetup.json(), AT_2AM, "daemon-1", () -> false, new CycleHealth(), budgeting,
                new StorageThrottle(io.deltaagent.storage.throttle.BucketBackoff.withJitter(AT_2AM), metrics));
    }

    private ActionLauncher recording() {
        return new ActionLauncher() {
            @Override
            public void launch(ActionClaim claim) {
                launched.add(claim);
            }

            @Override
            public void launchOrphans(List<ActionClaim> claims) {
            }
        };
    }

    private static ActionLauncher mustNotLaunch() {
        return new ActionLauncher() {
            @Override
            public void launch(ActionClaim claim) {
                fail("shadow mode launched " + claim);
            }

            @Override
            public void launchOrphans(List<ActionClaim> claims) {
                if (!claims.isEmpty()) {
                    fail("shadow mode launched orphans " + claims);
                }
            }
        };
    }

    private static Decision of(List<Decision> decisions, String table) {
        return decisions.stream().filter(d -> d.candidate().table().equals(table)).findFirst().orElseThrow();
    }

    @Test
    void anExhaustedBudgetAdmitsTheBestScoreAndDefersTheRestWithTheReason() throws Exception {
        // one OPTIMIZE is predicted at 1 minute of 1 unit: 0.0167 compute-hours; 0.025 pays for one
        List<Decision> d = cycle(config("  budget-compute-hours-per-day: 0.025\n"), recording()).run(SCHEDULE);

        assertThat(of(d, big).verdict()).isEqualTo(Decision.Verdict.ADMITTED);
        assertThat(of(d, mid).verdict()).isEqualTo(Decision.Verdict.BUDGET);
        assertThat(of(d, small).verdict()).isEqualTo(Decision.Verdict.BUDGET);
        assertThat(of(d, mid).reason()).isEqualTo("it would cost ~0.0167 compute-hours and 0.0083 of the day's 0.025 are left "
                + "(daemon.budget-compute-hours-per-day)");
        assertThat(of(d, big).candidate().forecast().score()).isGreaterThan(of(d, mid).candidate().forecast().score());
        assertThat(launched).extracting(ActionClaim::table).containsExactly(big);

        List<DecisionRow> rows = new DecisionStore(store).day("2026-03-01", false);
        assertThat(rows).extracting(DecisionRow::table, DecisionRow::verdict).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(big, "ADMITTED"), org.assertj.core.groups.Tuple.tuple(mid, "BUDGET"),
                org.assertj.core.groups.Tuple.tuple(small, "BUDGET"));
        assertThat(rows).filteredOn(r -> r.table().equals(big)).singleElement()
                .satisfies(r -> assertThat(r.predictedFilesRemoved()).isEqualTo(17));
        String scrape = metrics.scrape();
        assertThat(scrape).containsPattern("deltaagent_actions_deferred_total\\{reason=\"budget\"} 2.0");
        assertThat(scrape).containsPattern("deltaagent_budget_spent\\{shadow=\"false\",unit=\"compute-hours\"} 0.0166");
        assertThat(scrape).containsPattern("deltaagent_budget_remaining\\{shadow=\"false\",unit=\"compute-hours\"} 0.0083");
        assertThat(states.all()).filteredOn(s -> s.table().equals(mid)).singleElement()
                .satisfies(s -> assertThat(s.decisions()).singleElement().asString().contains("BUDGET, it would cost"));
    }

    @Test
    void theDaysSpendSurvivesARestartAndIsCorrectedByTheMeasuredCost() throws Exception {
        AgentConfig config = config("  budget-compute-hours-per-day: 0.025\n");
        cycle(config, recording()).run(SCHEDULE);
        store.close();

        store = open(); // a restarted daemon: a new store, a new cycle, the same database
        AuditCycle again = cycle(config, recording());
        assertThat(new Budgeting(() -> config.daemon(), store, CostEstimator.NONE, metrics, "daemon-1").status(AT_2AM.instant()).spent())
                .isCloseTo(1 / 60.0, org.assertj.core.data.Offset.offset(1e-6));
        List<Decision> d = again.run(SCHEDULE);
        assertThat(of(d, mid).verdict()).as("still no budget left after the restart").isEqualTo(Decision.Verdict.BUDGET);
        assertThat(of(d, big).verdict()).as("its claim is in flight").isEqualTo(Decision.Verdict.IN_FLIGHT);

        // the admitted run ends after 6 s of measured compute: the spend becomes 0.0017 h instead of the predicted 0.0167, so
        // the next cycle can pay for another minute (big again: no real job compacted it)
        DecisionLedger ledger = new DecisionLedger(store, CostEstimator.NONE, AT_2AM);
        ActionClaim claim = launched.get(0);
        ledger.started(claim, 42L);
        ledger.ended(claim, new io.deltaagent.submit.JobOutcome(io.deltaagent.submit.JobState.SUCCEEDED, AT_2AM.instant(),
                AT_2AM.instant().plusSeconds(6), null, null));
        new ActionClaims(store.dataSource()).release(big, "OPTIMIZE");
        List<Decision> third = again.run(SCHEDULE);
        assertThat(of(third, big).verdict()).isEqualTo(Decision.Verdict.ADMITTED);
        assertThat(of(third, mid).reason()).contains("0.0067 of the day's 0.025 are left");
        assertThat(new DecisionStore(store).day("2026-03-01", false)).filteredOn(r -> r.runId() != null).singleElement()
                .satisfies(r -> assertThat(r.measuredComputeHours()).isCloseTo(6 / 3600.0, org.assertj.core.data.Offset.offset(1e-9)));
    }

    @Test
    void aRunSettlesItsDecisionAndTheReportShowsPredictedBesideMeasured() throws Exception {
        AgentConfig config = config("  budget-compute-hours-per-day: 0.025\n");
        cycle(config, recording()).run(SCHEDULE);
        ConfigGeneration g = new ConfigGeneration(config, reader, new TableAuditor(reader, new BreachDetector()),
                new TableDiscovery(new Configuration(), 12));
        FakeJobSubmitter fake = new FakeJobSubmitter();
        new ActionRun(() -> g, store, new ActionClaims(store.dataSource()), b -> fake, new Planner(), metrics, states,
                LifecycleSetup.json(), Clock.systemUTC(), "daemon-1", new DbRetry(Duration.ofSeconds(3), Duration.ofMillis(100)))
                .execute(big, "OPTIMIZE", false);

        assertThat(fake.submitted()).hasSize(1);
        var run = store.runs().history(big, 1).get(0);
        DecisionRow settled = new DecisionStore(store).day("2026-03-01", false).stream().filter(r -> r.table().equals(big))
                .findFirst().orElseThrow();
        assertThat(settled.runId()).isEqualTo(run.id());
        assertThat(settled.measuredComputeHours()).as("the fake job's seconds, not the predicted minute")
                .isLessThan(settled.predictedComputeHours());

        CliRun report = CliRun.of("report", "--history-db", "jdbc:h2:file:" + tmp.resolve("history").resolve("agent"),
                "--since", "3650d");
        assertThat(report.exitCode()).isEqualTo(0);
        assertThat(report.out()).contains("budget: 1 action(s) admitted, 2 deferred by the budget, 1 ran: predicted 17 files "
                + "removed, 0.0167 compute-hours").contains("measured 17 files removed");
        assertThat(report.out()).containsPattern(java.util.regex.Pattern.quote(big) + " +1 +0 +17 / 17 +0.0167 / 0.0");
    }

    @Test
    void shadowModeRecordsEveryDecisionAndSubmitsNothing() throws Exception {
        long before = DeltaFiles.version(tmp.resolve("big"));
        AgentConfig config = config("  shadow: true\n  budget-compute-hours-per-day: 0.04\n");
        AuditCycle shadow = cycle(config, mustNotLaunch());

        List<Decision> d = shadow.run(SCHEDULE);
        assertThat(d).extracting(Decision::verdict).containsExactlyInAnyOrder(Decision.Verdict.ADMITTED, Decision.Verdict.ADMITTED,
                Decision.Verdict.BUDGET);
        List<DecisionRow> rows = new DecisionStore(store).day("2026-03-01", true);
        assertThat(rows).hasSize(3).allSatisfy(r -> assertThat(r.shadow()).isTrue());
        assertThat(new DecisionStore(store).day("2026-03-01", false)).isEmpty();
        assertThat(new ActionClaims(store.dataSource()).all()).as("nothing claimed").isEmpty();

        List<Decision> next = shadow.run(SCHEDULE);
        assertThat(of(next, big).verdict()).as("what shadow admitted at this version would still be running")
                .isEqualTo(Decision.Verdict.IN_FLIGHT);
        assertThat(new DecisionStore(store).day("2026-03-01", true).stream().filter(r -> r.verdict().equals("ADMITTED")))
                .as("not admitted twice").hasSize(2);

        // a claim left from before shadow mode: ActionRun releases it and never calls the backend
        new ActionClaims(store.dataSource()).admit(x -> List.of(new ActionClaim(big, "OPTIMIZE", "local", "daemon-1",
                Instant.now(), "left over", null)));
        ConfigGeneration g = new ConfigGeneration(config, reader, new TableAuditor(reader, new BreachDetector()),
                new TableDiscovery(new Configuration(), 12));
        new ActionRun(() -> g, store, new ActionClaims(store.dataSource()), b -> {
                    throw new AssertionError("shadow mode asked for backend " + b);
                }, new Planner(), metrics, states,
                LifecycleSetup.json(), Clock.systemUTC(), "daemon-1", new DbRetry(Duration.ofSeconds(3), Duration.ofMillis(100)))
                .execute(big, "OPTIMIZE", false);
        assertThat(new ActionClaims(store.dataSource()).all()).isEmpty();
        assertThat(store.runs().history(big, 10)).isEmpty();
        assertThat(DeltaFiles.version(tmp.resolve("big"))).as("no commit in the log").isEqualTo(before);

        CliRun whatIf = CliRun.of("report", "--shadow", "--history-db", "jdbc:h2:file:" + tmp.resolve("history").resolve("agent"),
                "--since", "3650d");
        assertThat(whatIf.exitCode()).isEqualTo(0);
        assertThat(whatIf.out()).contains("shadow mode what-if: 2 action(s) would have run, removing ~28 files for ~0.0333 "
                + "compute-hours, cost - (no prices configured); 1 deferred by the budget");
    }
}
