package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.ProtocolCommits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tables the agent audits but must not maintain by path (issue 25): catalog-managed ones, whose commits the catalog
 * owns, and ones with a writer feature the job runtime does not support. Their protocols are written per PROTOCOL.md
 * into a Spark-written table that needs maintenance, so a maintainable table of the same files would get jobs.
 */
class NotMaintainableTest {

    private static final long ICT = 1_796_600_000_000L;

    @TempDir
    Path tmp;

    /** A small-file table that plan would otherwise give an OPTIMIZE (see PlanCliTest). */
    private Path dueTable() throws Exception {
        return Fixtures.copy("spark_partitioned_checkpoints", tmp);
    }

    private Path config() throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  hot-partition-window: 0s\n  max-log-read-latency: 1h\n");
        return config;
    }

    @ParameterizedTest
    @ValueSource(strings = {"catalogManaged", "catalogOwned-preview"})
    void catalogManagedTableAuditsAsOfItsPublishedVersion(String feature) throws Exception {
        Path table = dueTable();
        long published = ProtocolCommits.makeCatalogManaged(table, feature, ICT);
        // a staged commit not published: only the catalog knows whether it was ratified; by path it is not read
        ProtocolCommits.stage(table, published + 1,
                "{\"commitInfo\":{\"inCommitTimestamp\":" + (ICT + 1000) + ",\"timestamp\":" + (ICT + 1000) + ",\"operation\":\"WRITE\"}}",
                "{\"add\":{\"path\":\"date=2024-01-01/staged.parquet\",\"partitionValues\":{\"date\":\"2024-01-01\"},"
                        + "\"size\":5,\"modificationTime\":" + ICT + ",\"dataChange\":true}}");

        CliRun run = CliRun.of("audit", "--format", "json", "--config", config().toString(), table.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isIn(ExitCode.HEALTHY, ExitCode.MAINTENANCE_DUE);
        JsonNode health = run.json().get("tables").get(0).get("health");
        assertThat(health.get("reader").asText()).isEqualTo("projected");
        JsonNode managed = health.get("identity").get("catalogManaged");
        assertThat(managed.get("feature").asText()).isEqualTo(feature);
        assertThat(managed.get("publishedVersion").asLong()).isEqualTo(published).isEqualTo(25);
        assertThat(managed.get("stagedCommitFiles").asLong()).isEqualTo(1);
        assertThat(health.get("identity").get("version").asLong()).isEqualTo(published);
        assertThat(health.get("files").get("activeFiles").asLong()).as("the staged add is not counted").isEqualTo(150);
        assertThat(health.get("log").get("stagedCommitFiles").asLong()).isEqualTo(1);

        CliRun text = CliRun.of("audit", "--config", config().toString(), table.toString());
        assertThat(text.out()).contains("catalog-managed " + feature + ": figures as of published version 25 "
                + "(1 staged commit file(s) in _delta_log/_staged_commits not read); maintained only through its catalog");
    }

    @Test
    void catalogManagedTableIsNeverPlannedAndPlanExitsFour() throws Exception {
        Path table = dueTable();
        ProtocolCommits.makeCatalogManaged(table, "catalogManaged", ICT);

        CliRun run = CliRun.of("plan", "--config", config().toString(), table.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.NOT_MAINTAINABLE);
        assertThat(run.out()).contains("(version 25): not maintainable here")
                .contains("not maintainable here: catalog-managed table (table feature catalogManaged): its catalog owns its "
                        + "commits, and the Delta protocol forbids OPTIMIZE, VACUUM and log cleanup by path")
                .doesNotContain("OPTIMIZE WHERE");
        JsonNode plan = CliRun.of("plan", "--format", "json", "--config", config().toString(), table.toString()).json()
                .get("tables").get(0).get("plan");
        assertThat(plan.get("actions")).isEmpty();
        assertThat(plan.get("notMaintainable").asText()).contains("catalog-managed").contains("published version 25");
    }

    @Test
    void maintainOfACatalogManagedTableSubmitsNothingAndChangesNothing() throws Exception {
        Path table = dueTable();
        ProtocolCommits.makeCatalogManaged(table, "catalogManaged", ICT);
        Map<String, List<Long>> logBefore = listing(table.resolve("_delta_log"));
        Map<String, List<Long>> dataBefore = listing(table);

        CliRun run = CliRun.of("maintain", "--config", config().toString(), "--history-db",
                "jdbc:h2:file:" + tmp.resolve("history"), "--format", "json", table.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.NOT_MAINTAINABLE);
        JsonNode result = run.json().get("tables").get(0);
        assertThat(result.get("status").asText()).isEqualTo("NOT_MAINTAINABLE");
        assertThat(result.get("actions")).as("no job submitted").isEmpty();
        assertThat(result.get("notes").get(0).asText()).startsWith("not maintainable here: catalog-managed table");
        assertThat(listing(table.resolve("_delta_log"))).as("nothing in _delta_log changed").isEqualTo(logBefore);
        assertThat(listing(table)).as("no data file written or deleted").isEqualTo(dataBefore);
    }

    @Test
    void writerFeatureTheRuntimeLacksIsRefusedByNameBeforeAnyJob() throws Exception {
        Path table = dueTable();
        // a Delta 4 writer feature delta-spark 3.3 does not know, beside vacuumProtocolCheck
        ProtocolCommits.upgrade(table, 3, 7, List.of("vacuumProtocolCheck"),
                List.of("vacuumProtocolCheck", "icebergWriterCompatV1"), Map.of(), null);
        Map<String, List<Long>> logBefore = listing(table.resolve("_delta_log"));

        CliRun plan = CliRun.of("plan", "--config", config().toString(), table.toString());
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(ExitCode.NOT_MAINTAINABLE);
        assertThat(plan.out()).contains("not maintainable here: the table uses writer feature(s) [icebergWriterCompatV1], "
                + "which job runtime 3.5 (Spark 3.5 with delta-spark 3.3) does not support (vacuumProtocolCheck: VACUUM too "
                + "must support every writer feature)");

        CliRun maintain = CliRun.of("maintain", "--config", config().toString(), "--history-db",
                "jdbc:h2:file:" + tmp.resolve("history"), "--format", "json", table.toString());
        assertThat(maintain.exitCode()).as(maintain.out() + maintain.err()).isEqualTo(ExitCode.NOT_MAINTAINABLE);
        assertThat(maintain.json().get("tables").get(0).get("actions")).isEmpty();
        assertThat(listing(table.resolve("_delta_log"))).isEqualTo(logBefore);
    }

    @Test
    void supportedFeaturesWithVacuumProtocolCheckAreStillPlanned() throws Exception {
        Path table = dueTable();
        ProtocolCommits.upgrade(table, 3, 7, List.of("vacuumProtocolCheck"),
                List.of("vacuumProtocolCheck", "appendOnly", "invariants"), Map.of(), null);
        CliRun plan = CliRun.of("plan", "--config", config().toString(), table.toString());
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        assertThat(plan.out()).contains("OPTIMIZE WHERE").doesNotContain("not maintainable");
    }

    @Test
    void aFailureOutranksNotMaintainable() throws Exception {
        Path table = dueTable();
        ProtocolCommits.makeCatalogManaged(table, "catalogManaged", ICT);
        CliRun run = CliRun.of("plan", "--config", config().toString(), table.toString(), tmp.resolve("missing").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
    }

    /** Every file below {@code root}: its size and modification time. */
    private static Map<String, List<Long>> listing(Path root) throws Exception {
        Map<String, List<Long>> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                out.put(root.relativize(p).toString(), List.of(a.size(), a.lastModifiedTime().toMillis()));
            }
        }
        return out;
    }
}
