package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.TableSettings;
import io.deltaagent.cost.CostEstimator;
import io.deltaagent.cost.CostRates;
import io.deltaagent.plan.Expectation;
import io.deltaagent.plan.PlannedAction;
import io.deltaagent.policy.Breach;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.store.RunCheck;
import io.deltaagent.store.RunRecord;
import io.deltaagent.store.RunState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Gain and cost forecasts, and what a table's past runs teach them: pure, with runs as the history database keeps them. */
@Tag("fast")
class ForecasterTest {

    private static final TableSettings SETTINGS = new ConfigLoader().parse("t", "defaults:\n  cooldown: 0s\n").defaultSettings();

    private static PlannedAction optimize(long files) {
        Breach b = new Breach("min-small-files", files, 50, "files", MaintenanceAction.OPTIMIZE, files + " small files");
        return new PlannedAction(MaintenanceAction.OPTIMIZE, null, List.of(), null, List.of(b),
                new Expectation(files, files * 1000, 1, files * 1000, 1, 0), List.of());
    }

    /** A finished OPTIMIZE that planned to remove {@code planned - 1} files and removed {@code removed - 1}, in {@code seconds}. */
    private static RunRecord run(String table, long planned, long removed, long seconds) {
        Instant start = Instant.parse("2026-02-28T01:00:00Z");
        RunCheck check = new RunCheck(planned, planned * 1000, 1, planned * 1000, 1, removed, removed * 1000, 1L, 1000L, 1L, 1.0, null);
        return new RunRecord(1, table, "OPTIMIZE", "{}", "local", "local[1]", 3, start, start, start.plusSeconds(seconds),
                RunState.SUCCEEDED, null, null, null, 4L, null, null, null, 1, 1, check, null, false, null, null);
    }

    private static Candidate candidate(Forecaster f, String table, long files) {
        Candidate c = Ranking.candidate(table, optimize(files), SETTINGS, "local");
        return c.with(f.forecast(table, c.action(), c.backend(), null), 3);
    }

    @Test
    void aForecastCountsFilesRemovedPerComputeHourAndMoneyFromThePrices() {
        CostEstimator priced = (backend, bytes, ran) -> new CostRates("core", 0.5, null, null, "USD").estimate(2, ran);
        Forecaster f = new Forecaster((t, n) -> List.of(), new CostEstimator() {
            @Override
            public java.util.Optional<io.deltaagent.cost.CostEstimate> estimate(String backend, long bytes, java.time.Duration ran) {
                return priced.estimate(backend, bytes, ran);
            }

            @Override
            public int units(String backend, long bytes) {
                return 2;
            }
        }, 5, true);
        Forecast fc = f.forecast("/t", optimize(121), "local", null);
        assertThat(fc.points()).isEqualTo(120);
        assertThat(fc.filesRemoved()).isEqualTo(120);
        assertThat(fc.computeHours()).as("2 cores x 60 s startup (121 kB rewrite in no time)").isCloseTo(2 / 60.0, within(1e-4));
        assertThat(fc.cost()).isEqualByComparingTo(new BigDecimal("0.0167"));
        assertThat(fc.score()).as("points per USD of the estimate").isCloseTo(120 / 0.0167, within(1e-6));
        assertThat(fc.learnedFrom()).isZero();
    }

    @Test
    void measuredRunsCorrectTheNextPredictionAndChangeTheRanking() {
        Map<String, List<RunRecord>> history = Map.of("/b", List.of(run("/b", 101, 101, 15), run("/b", 101, 101, 15)),
                "/c", List.of(run("/c", 101, 51, 60)));
        Forecaster f = new Forecaster((t, n) -> history.getOrDefault(t, List.of()), CostEstimator.NONE, 5, false);
        Forecaster naive = new Forecaster((t, n) -> List.of(), CostEstimator.NONE, 5, false);

        assertThat(Budgeting.byScore(List.of(candidate(naive, "/a", 101), candidate(naive, "/b", 101), candidate(naive, "/c", 101))))
                .as("without history: a tie, by table").extracting(Candidate::table).containsExactly("/a", "/b", "/c");

        List<Candidate> learned = Budgeting.byScore(List.of(candidate(f, "/a", 101), candidate(f, "/b", 101), candidate(f, "/c", 101)));
        assertThat(learned).as("/b's jobs took a quarter of the prediction; /c's removed half the files it planned")
                .extracting(Candidate::table).containsExactly("/b", "/a", "/c");
        Forecast b = learned.get(0).forecast();
        assertThat(b.costRatio()).isEqualTo(0.25);
        assertThat(b.learnedFrom()).isEqualTo(2);
        assertThat(b.describe()).contains("learned from 2 runs: gain x1.00, cost x0.25");
        Forecast c = learned.get(2).forecast();
        assertThat(c.gainRatio()).isEqualTo(0.5);
        assertThat(c.filesRemoved()).isEqualTo(50);
    }

    @Test
    void oneOddRunCannotSilenceOrFloodATable() {
        Forecaster f = new Forecaster((t, n) -> List.of(run(t, 101, 1, 6000)), CostEstimator.NONE, 5, false);
        Forecast fc = f.forecast("/t", optimize(101), "local", null);
        assertThat(fc.gainRatio()).as("removed 0 of 100: bounded").isEqualTo(Forecaster.MIN_RATIO);
        assertThat(fc.costRatio()).as("100 minutes for a 1 minute prediction: bounded").isEqualTo(Forecaster.MAX_RATIO);
    }

    @Test
    void onlyTheLatestLearningRunsCount() {
        List<RunRecord> runs = List.of(run("/t", 101, 101, 30), run("/t", 101, 101, 240), run("/t", 101, 101, 240));
        Forecast fc = new Forecaster((t, n) -> runs, CostEstimator.NONE, 1, false).forecast("/t", optimize(101), "local", null);
        assertThat(fc.costRatio()).as("30 s for a prediction of 60 s (and 3 ms for 101 kB)").isCloseTo(0.5, within(1e-3));
        assertThat(fc.learnedFrom()).isEqualTo(1);
    }
}
