package io.deltaagent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditCliTest {

    @TempDir
    Path tmp;

    private static final String PARTITIONED = "spark_partitioned_checkpoints";
    private static final String OPTIMIZED = "spark_optimized";

    @Test
    void healthyTableExitsZero() {
        CliRun run = CliRun.of("audit", Fixtures.table(OPTIMIZED).toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.HEALTHY);
        assertThat(run.out()).contains("HEALTHY").contains("1 tables: 1 healthy, 0 maintenance due, 0 could not be read");
    }

    @Test
    void smallFilesInEveryPartitionCallForOptimizeAndExitThree() {
        CliRun run = CliRun.of("audit", "--format", "json", Fixtures.table(PARTITIONED).toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        JsonNode doc = run.json();
        assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(doc.get("exitCode").asInt()).isEqualTo(3);
        assertThat(doc.get("summary").get("maintenanceDue").asInt()).isEqualTo(1);
        JsonNode table = doc.get("tables").get(0);
        assertThat(table.get("status").asText()).isEqualTo("MAINTENANCE_DUE");
        JsonNode breach = table.get("breaches").get(0);
        assertThat(breach.get("threshold").asText()).isEqualTo("min-small-files");
        assertThat(breach.get("measured").asLong()).isEqualTo(50);
        assertThat(breach.get("limit").asLong()).isEqualTo(50);
        assertThat(breach.get("action").asText()).isEqualTo("OPTIMIZE");
        assertThat(breach.get("detail").asText()).contains("3 of 3 partitions hold at least 50 small files");
        JsonNode health = table.get("health");
        assertThat(health.get("files").get("activeFiles").asLong()).isEqualTo(150);
        assertThat(health.get("log").get("lastCheckpointVersion").asLong()).isEqualTo(20);
        assertThat(health.get("readCost").get("snapshotMillis").asLong()).isPositive();
        assertThat(health.get("measuredAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(run.err()).doesNotContain("auditing"); // no progress for a single table
    }

    @Test
    void configOverridesPerTableAndZorderChangesTheAction() throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, String.join("\n",
                "defaults:",
                "  min-small-files: 51",
                "tables:",
                "  - path: " + Fixtures.table(OPTIMIZED),
                "  - path: " + Fixtures.table(PARTITIONED),
                "    min-small-files: 40",
                "    zorder-by: [id]",
                "    max-commits-since-checkpoint: 3",
                ""));
        CliRun run = CliRun.of("audit", "--config", config.toString(), "--format", "json");
        assertThat(run.exitCode()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        JsonNode tables = run.json().get("tables");
        assertThat(tables).hasSize(2);
        assertThat(tables.get(0).get("status").asText()).isEqualTo("HEALTHY");
        List<String> actions = new ArrayList<>();
        tables.get(1).get("breaches").forEach(b -> actions.add(b.get("threshold").asText() + "->" + b.get("action").asText()));
        assertThat(actions).containsExactly("min-small-files->OPTIMIZE_ZORDER", "max-commits-since-checkpoint->CHECKPOINT");
        assertThat(run.err()).contains("[1/2] auditing").contains("[2/2] auditing");
    }

    @Test
    void defaultsFromConfigApplyToTablesNamedOnTheCommandLine() throws Exception {
        Path config = tmp.resolve("agent.yaml");
        Files.writeString(config, "defaults:\n  min-small-files: 51\n");
        CliRun run = CliRun.of("audit", "--config", config.toString(), Fixtures.table(PARTITIONED).toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.HEALTHY);
    }

    @Test
    void discoverFindsEveryTableBelowARoot() throws Exception {
        Path root = tmp.resolve("lake");
        Fixtures.copyTree(Fixtures.table(OPTIMIZED), root.resolve("sales/orders"));
        Fixtures.copyTree(Fixtures.table(PARTITIONED), root.resolve("events"));
        Files.createDirectories(root.resolve("not_a_table/sub"));
        CliRun run = CliRun.of("audit", "--discover", root.toString(), "--format", "json");
        assertThat(run.exitCode()).isEqualTo(ExitCode.MAINTENANCE_DUE);
        List<String> tables = new ArrayList<>();
        run.json().get("tables").forEach(t -> tables.add(t.get("table").asText()));
        assertThat(tables).containsExactly(root.resolve("events").toString(), root.resolve("sales/orders").toString());
    }

    @Test
    void discoverOfAMissingRootIsATableFailure() {
        CliRun run = CliRun.of("audit", "--discover", tmp.resolve("absent").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCode.TABLE_FAILED);
        assertThat(run.out()).contains(tmp.resolve("absent") + ": discovery root does not exist");
    }

    @Test
    void textOutputIsAlignedWithHumanUnitsAndDetails() {
        CliRun run = CliRun.of("audit", Fixtures.table(PARTITIONED).toString());
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("TABLE").contains("STATUS").contains("AVG SIZE").contains("LOG READ");
        // the header and the row end at the same column: right-aligned numbers
        assertThat(lines.get(1).length()).isEqualTo(lines.get(0).length());
        assertThat(lines.get(1)).contains("MAINTENANCE_DUE").contains("KiB");
        assertThat(run.out()).contains("Maintenance due:").contains("min-small-files -> OPTIMIZE")
                .contains("size histogram").contains("partitions      3, 3 with many small files; worst:")
                .contains("checkpoint      version 20, 1 part(s)");
    }

    @Test
    void theTopLevelShowsTheBuildsVersionFullSummariesAndUsageForABareCommand() {
        CliRun version = CliRun.of("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out().trim()).as("the version the build wrote, not a placeholder").matches("delta-agent \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");

        CliRun bare = CliRun.of();
        assertThat(bare.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bare.err()).contains("Usage: delta-agent").contains("name a command: audit, plan, maintain").doesNotContain("Exception");

        CliRun help = CliRun.of("--help");
        List<String> summaries = new ArrayList<>();
        for (String line : help.out().lines().toList()) {
            if (line.matches("  (audit|plan|maintain|history|daemon|config-reference) .*")) {
                summaries.add(line.strip());
            } else if (!summaries.isEmpty() && line.startsWith("       ") && !line.isBlank()) {
                summaries.set(summaries.size() - 1, summaries.get(summaries.size() - 1) + " " + line.strip()); // wrapped
            }
        }
        assertThat(summaries).hasSize(6).allSatisfy(summary -> assertThat(summary).as("a whole sentence").endsWith("."));
    }

    @Test
    void helpReadsWell() {
        CliRun run = CliRun.of("audit", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: delta-agent audit").contains("--discover=ROOT").contains("--format=FORMAT")
                .contains("Exit codes:").containsPattern("\\n  3 +maintenance due on at least one table")
                .containsPattern("\\n  75 +no table could be read");
    }

    @Test
    void configReferenceMatchesDocs() throws Exception {
        CliRun run = CliRun.of("config-reference");
        Path docs = Path.of(System.getProperty("deltaagent.repo.dir"), "docs", "CONFIG.md");
        assertThat(run.exitCode()).isZero();
        assertThat(Files.readString(docs)).as("docs/CONFIG.md is generated: scripts/delta-agent config-reference > docs/CONFIG.md")
                .isEqualTo(run.out());
    }
}
