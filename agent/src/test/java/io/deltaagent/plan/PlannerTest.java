package io.deltaagent.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.ConfigLoader;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
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
        return new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC())
                .read(TableLocation.of(Fixtures.table(fixture).toString()), SettingsThresholds.of(settings));
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
    void theJobGetsTheAgentsSizesSoItRewritesOnlyTheSmallFilesItCounted() {
        TableSettings s = settings("defaults:\n  hot-partition-window: 0s\n  target-file-size: 32MiB\n  small-file-size: 8MiB\n");
        PlannedAction a = plan(PARTITIONED, s, Instant.now()).actions().get(0);
        assertThat(a.sizes()).isEqualTo(new RewriteSizes(8L << 20, 32L << 20, null));
        assertThat(a.units()).isEqualTo(1);
        assertThat(a.expected().smallFileBytes()).as("every file of the fixture is small").isEqualTo(a.expected().bytesRewritten());
        assertThat(a.expected().filesWritten()).as("one file per partition").isEqualTo(3);
    }

    @Test
    void rewritesAreSplitIntoUnitsOfBoundedPartitionsWorstFirst() {
        TableSettings s = settings("defaults:\n  hot-partition-window: 0s\n  max-partitions-per-job: 2\n");
        TableHealth h = audit(PARTITIONED, s);
        MaintenancePlan plan = planner.plan(h, new BreachDetector().detect(h, s), s, Instant.now());
        assertThat(plan.actions()).hasSize(2).allSatisfy(a -> {
            assertThat(a.action()).isEqualTo(MaintenanceAction.OPTIMIZE);
            assertThat(a.units()).isEqualTo(2);
            assertThat(a.sizes().maxBytesPerCommit()).isNull();
        });
        PlannedAction first = plan.actions().get(0);
        PlannedAction second = plan.actions().get(1);
        assertThat(first.unit()).isEqualTo(1);
        assertThat(first.where()).isEqualTo("`date` IN ('2024-01-01', '2024-01-02')");
        assertThat(first.expected().filesRewritten()).isEqualTo(100);
        assertThat(first.expected().filesAfter()).as("150 - 100 + one per partition").isEqualTo(52);
        assertThat(second.unit()).isEqualTo(2);
        assertThat(second.where()).isEqualTo("`date` IN ('2024-01-03')");
        assertThat(second.expected().filesAfter()).as("after both units").isEqualTo(3);
        assertThat(second.expected().commitsSinceCheckpointAfter())
                .isEqualTo(first.expected().commitsSinceCheckpointAfter() + 1);
        long partitionBytes = h.files().compactionCandidates().get(2).smallFileBytes();
        assertThat(second.expected().bytesRewritten()).isEqualTo(partitionBytes);
        assertThat(first.expected().bytesRewritten() + second.expected().bytesRewritten()).isEqualTo(h.files().smallFileBytes());
    }

    @Test
    void byteBoundSplitsTooAndAPartitionAboveItRunsAloneCommittingInBatches() {
        List<PartitionStat> worstFirst = List.of(bytes("a", 600), bytes("b", 500), bytes("c", 300), bytes("d", 2000),
                bytes("e", 100), bytes("f", 100), bytes("g", 100));
        assertThat(Planner.split(worstFirst, false, 1000, 2)).extracting(u -> u.stream().map(PartitionStat::partition).toList())
                .containsExactly(List.of("a"), List.of("b", "c"), List.of("d"), List.of("e", "f"), List.of("g"));

        // a whole partition over max-bytes-per-job: one unit, and the job commits every max-bytes-per-job
        TableSettings s = settings("defaults:\n  hot-partition-window: 0s\n  max-bytes-per-job: 20KiB\n");
        MaintenancePlan plan = plan(PARTITIONED, s, Instant.now());
        assertThat(plan.actions()).hasSize(3).allSatisfy(a -> {
            assertThat(a.expected().bytesRewritten()).isGreaterThan(20 * 1024);
            assertThat(a.sizes().maxBytesPerCommit()).isEqualTo(20L * 1024);
        });
        assertThat(plan.actions()).extracting(PlannedAction::unit).containsExactly(1, 2, 3);
    }

    @Test
    void checkpointCompactionGoesFirstWhenTheLogIsTheProblem() {
        TableSettings s = settings("defaults:\n  hot-partition-window: 0s\n  max-commits-since-checkpoint: 3\n  zorder-by: [id]\n");
        MaintenancePlan plan = plan(PARTITIONED, s, Instant.now());
        assertThat(plan.actions()).extracting(PlannedAction::action)
                .containsExactly(MaintenanceAction.CHECKPOINT, MaintenanceAction.OPTIMIZE_ZORDER);
        assertThat(plan.actions().get(0).expected().commitsSinceCheckpointAfter()).isZero();
        assertThat(plan.actions().get(1).zorderBy()).containsExactly("id");
        assertThat(plan.actions().get(1).expected().commitsSinceCheckpointAfter())
                .as("the checkpoint before it: only OPTIMIZE's own commit to replay").isEqualTo(1);
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

    private static PartitionStat bytes(String name, long smallBytes) {
        return new PartitionStat(name, Map.of("p", name), 10, smallBytes * 2, 10, smallBytes, Instant.EPOCH);
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
