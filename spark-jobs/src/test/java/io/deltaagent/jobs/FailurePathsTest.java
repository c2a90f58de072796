package io.deltaagent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure still produces one result document, with the error, and the documented exit code. */
class FailurePathsTest {
    @TempDir
    Path tmp;

    private final SparkSession spark = SparkTestSession.get();

    @Test
    void aMissingTableIsBadInput() throws Exception {
        String missing = tmp.resolve("no/such/table").toString();
        Path resultFile = tmp.resolve("results/missing.json");

        JobCli.Run run = JobCli.run("checkpoint", "--table", missing, "--result", resultFile.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).hasSize(1);
        JsonNode result = run.result();
        assertThat(result.get("status").asText()).isEqualTo("FAILED");
        assertThat(result.get("action").asText()).isEqualTo("checkpoint");
        assertThat(result.get("table").asText()).isEqualTo(missing);
        assertThat(result.get("versionBefore").isNull()).isTrue();
        assertThat(result.get("attempts").asInt()).isZero();
        assertThat(result.at("/error/class").asText()).isEqualTo("io.deltaagent.jobs.error.TableNotFoundException");
        assertThat(result.at("/error/message").asText())
                .isEqualTo(missing + ": the table path does not exist (file:" + missing
                        + "). Check the URI; the job never creates tables.");
        assertThat(result.at("/error/retryable").asBoolean()).isFalse();
        assertThat(JobCli.parse(Files.readString(resultFile))).isEqualTo(result);
    }

    @Test
    void aDirectoryWithoutADeltaLogIsBadInput() {
        String plain = tmp.resolve("parquet_only").toString();
        spark.range(10).write().parquet(plain);

        JobCli.Run run = JobCli.run("optimize", "--table", plain);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.result().at("/error/message").asText())
                .startsWith(plain + ": not a Delta table: no commits under file:" + plain + "/_delta_log");
    }

    @Test
    void badUsageStillAnswersWithAResult() throws Exception {
        Path resultFile = tmp.resolve("usage.json");

        JobCli.Run noAction = JobCli.run("--table", "/data/t");
        JobCli.Run noRetain = JobCli.run("vacuum", "--table", "/data/t", "--result", resultFile.toString());
        JobCli.Run badDuration = JobCli.run("vacuum", "--table", "/data/t", "--retain", "one week");

        assertThat(noAction.exitCode()).isEqualTo(2);
        assertThat(noAction.result().get("action").isNull()).isTrue();
        assertThat(noAction.result().at("/error/message").asText()).startsWith("bad usage: ");
        assertThat(noAction.stderr()).contains("Usage:");
        assertThat(noRetain.exitCode()).isEqualTo(2);
        assertThat(noRetain.result().get("action").asText()).isEqualTo("vacuum");
        assertThat(noRetain.result().at("/error/message").asText())
                .isEqualTo("/data/t: bad usage: Missing required option: '--retain=DURATION'");
        assertThat(JobCli.parse(Files.readString(resultFile))).isEqualTo(noRetain.result());
        assertThat(badDuration.result().at("/error/message").asText()).contains("'one week' is not a duration");
    }

    @Test
    void aResultFileThatCannotBeWrittenFailsTheRunButStdoutStillHasTheResult() throws Exception {
        String table = Fixtures.copy(Fixtures.tinyTable(spark), tmp.resolve("events")).toString();
        Path notADirectory = Files.writeString(tmp.resolve("a-file"), "x");

        JobCli.Run run = JobCli.run("checkpoint", "--table", table, "--result",
                notADirectory.resolve("result.json").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.result().get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.result().at("/log/checkpointVersion").asLong()).isZero();
    }

    @Test
    void helpPrintsUsageAndNoResult() {
        JobCli.Run run = JobCli.run("vacuum", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.result()).isNull();
        assertThat(String.join("\n", run.stdout())).contains("--retain", "--dry-run",
                "--unsafe-allow-retention-below-floor");
    }
}
