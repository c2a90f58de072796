package io.deltaagent.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.cli.ExitCode;
import io.deltaagent.config.ReaderChoice;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.CliRun;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A liquid-clustered table written by Spark: recognised by the audit, planned and optimized without ZORDER. */
class ClusteredTableTest {

    private static final String CLUSTERED = "spark_clustered";

    @TempDir
    Path tmp;

    @Test
    void theAuditReadsTheClusteringColumnsFromTheCheckpointsDomainMetadata() {
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC());
        for (ReaderChoice choice : new ReaderChoice[] {ReaderChoice.PROJECTED, ReaderChoice.KERNEL}) {
            TableHealth h = reader.read(TableLocation.of(Fixtures.table(CLUSTERED).toString()),
                    SettingsThresholds.of(TableSettings.defaults().withReader(choice)));
            assertThat(h.identity().clusteringColumns()).as(choice.name()).containsExactly("country");
            assertThat(h.identity().writerFeatures()).contains("clustering");
            assertThat(h.log().lastCheckpointVersion()).as("the domain metadata is in the checkpoint").isEqualTo(10);
            assertThat(h.files().activeFiles()).isEqualTo(Fixtures.truth(CLUSTERED).get("numFiles").asLong());
        }
        TableHealth plain = reader.read(TableLocation.of(Fixtures.table("spark_partitioned_checkpoints").toString()),
                SettingsThresholds.of(TableSettings.defaults()));
        assertThat(plain.identity().clusteringColumns()).isEmpty();
        assertThat(CliRun.of("audit", Fixtures.table(CLUSTERED).toString()).out())
                .contains("clustered by    country (liquid clustering: OPTIMIZE clusters, ZORDER is refused)");
    }

    @Test
    void zorderIsNotPlannedAndOptimizeClustersTheTable() throws Exception {
        Path table = Fixtures.copy(CLUSTERED, tmp);
        Path config = tmp.resolve("agent.yaml");
        TestConfigs.write(config, "zorder-by: [id]");

        JsonNode plan = CliRun.of("plan", "--format", "json", "--config", config.toString(), table.toString()).json()
                .get("tables").get(0).get("plan");
        assertThat(plan.get("actions")).singleElement().satisfies(a -> {
            assertThat(a.get("action").asText()).isEqualTo("OPTIMIZE");
            assertThat(a.get("zorderBy")).isEmpty();
            assertThat(a.get("where").isNull()).isTrue();
        });
        assertThat(plan.get("notes").get(0).asText()).contains("zorder-by [id] ignored: the table is liquid-clustered by [country]");

        CliRun run = CliRun.of("maintain", "--config", config.toString(), "--history-db", HistoryDb.h2(tmp, "h"),
                "--format", "json", "--local-heap", "1g", table.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCode.HEALTHY);
        JsonNode result = run.json().get("tables").get(0);
        JsonNode action = result.get("actions").get(0);
        assertThat(action.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(action.get("jobResult").get("clusteringColumns").get(0).asText()).isEqualTo("country");
        assertThat(action.get("jobResult").get("zOrderBy")).isEmpty();
        assertThat(result.get("after").get("files").asLong()).isLessThan(result.get("before").get("files").asLong());
        assertThat(result.get("status").asText()).as(action.get("check").toString()).isIn("HEALED", "DEVIATED");
    }
}
