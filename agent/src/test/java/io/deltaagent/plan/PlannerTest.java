package io.deltaagent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.health.PartitionStat;
import io.deltaagent.health.TableHealth;
import io.deltaagent.policy.BreachDetector;
import io.deltaagent.policy.MaintenanceAction;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** Plans from real audits of the Spark fixtures; time is passed in, never slept. */
class PlannerTest {

    private static final String PARTITIONED = "spark_partitioned_checkpoints";

    private final Planner planner = new Planner();

    private static TableSettings settings(String yaml) {
        return new ConfigLoader().parse("test.yaml", yaml).defaultSettings();
    }

    private static TableHealth audit(String fixture, TableSettings settings) {
        return new LogHealthReader(new Configuration(), Clock.systemUTC())
                .read(TableLocation.of(Fixtures.table(fixture).toString()), settings);
    }

    private MaintenancePlan plan(String fixture, TableSettings settings, Instant now) {
        TableHealth h = audit(fixture, settings);
        return planner.plan(h, new BreachDetector().detect(h, settings), settings, now);
    }

    @Test
    void partitionsWrittenWithinTheHotWindowAreNotCompacted() {
        // a window that reaches back past the fixture's writing, however long ago the build made it
        TableSettings s = settings("defaults:\n  hot-partition-window: 3650d\n");
        MaintenancePlan plan = plan(PARTITIONED, s, Instant.now());
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.notes()).containsExactly(
                "OPTIMIZE deferred: all 3 partitions with many small files were written in the last 3650d (hot-partition-window)");
    }

    @Test
    void coldPartitionsAreCompactedWithAWherePredicateAndAnExpectation() {
        TableSettings s = settings("defaults:\n  hot-partition-window: 30m\n");
        MaintenancePlan plan = plan(PARTITIONED, s, Instant.now().plus(Duration.ofHours(2)));
        assertThat(plan.tableVersion()).isEqualTo(24);
        assertThat(plan.actions()).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo(MaintenanceAction.OPTIMIZE);
            assertThat(a.where()).isEqualTo("`date` IN ('2024-01-01', '2024-01-02', '2024-01-03')");
            assertThat(a.reasons()).extracting(b -> b.threshold()).containsExactly("min-small-files");
            assertThat(a.expected().filesRewritten()).isEqualTo(150);
            assertThat(a.expected().filesAfter()).as("one file per partition").isEqualTo(3);
            assertThat(a.skippedPartitions()).isEmpty();
        });
    }

    @Test
    void checkpointCompactionGoesFirstWhenTheLogIsTheProblem() {
        TableSettings s = settings("defaults:\n  hot-partition-window: 0s\n  max-commits-since-checkpoint: 3\n  zorder-by: [id]\n");
        MaintenancePlan plan = plan(PARTITIONED, s, Instant.now());
        assertThat(plan.actions()).extracting(PlannedAction::action)
                .containsExactly(MaintenanceAction.CHECKPOINT, MaintenanceAction.OPTIMIZE_ZORDER);
        assertThat(plan.actions().get(0).expected().commitsSinceCheckpointAfter()).isZero();
        assertThat(plan.actions().get(1).zorderBy()).containsExactly("id");
        assertThat(plan.actions().get(1).expected().commitsSinceCheckpointAfter()).isEqualTo(5);
    }

    @Test
    void healthyTableHasAnEmptyPlan() {
        MaintenancePlan plan = plan("spark_optimized", TableSettings.defaults(), Instant.now());
        assertThat(plan.isEmpty()).isTrue();
        assertThat(plan.notes()).isEmpty();
    }

    @Test
    void predicatesQuoteValuesAndHandleNullsAndSeveralColumns() {
        PartitionStat a = stat(Map.of("region", "eu'west", "day", "1"));
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("region", null);
        withNull.put("day", "2");
        PartitionStat b = stat(withNull);
        assertThat(PartitionPredicate.of(List.of("region", "day"), List.of(a, b)))
                .isEqualTo("(`region` = 'eu\\'west' AND `day` = '1') OR (`region` IS NULL AND `day` = '2')");
        Map<String, String> onlyNull = new LinkedHashMap<>();
        onlyNull.put("region", null);
        assertThat(PartitionPredicate.of(List.of("region"), List.of(stat(Map.of("region", "us")), stat(onlyNull))))
                .isEqualTo("`region` IN ('us') OR `region` IS NULL");
    }

    private static PartitionStat stat(Map<String, String> values) {
        Map<String, String> ordered = new LinkedHashMap<>();
        if (values.containsKey("region")) {
            ordered.put("region", values.get("region"));
        }
        if (values.containsKey("day")) {
            ordered.put("day", values.get("day"));
        }
        return new PartitionStat("p", ordered, 60, 600, 60, 600, Instant.EPOCH);
    }
}
