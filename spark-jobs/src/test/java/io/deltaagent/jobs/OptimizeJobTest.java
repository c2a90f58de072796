package io.deltaagent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OPTIMIZE on a real 2,000-file table: compaction, a partition predicate, and the result it reports. */
class OptimizeJobTest {
    private static SparkSession spark;
    private static Path master;
    private static TableData.Fingerprint masterData;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fixture() {
        spark = SparkTestSession.get();
        master = Fixtures.smallFilesTable(spark);
        masterData = Fixtures.smallFilesData(spark);
    }

    @Test
    void compactsTwoThousandSmallFilesAndKeepsTheData() throws Exception {
        String table = Fixtures.copy(master, tmp.resolve("events")).toString();
        Path resultFile = tmp.resolve("out/result.json");
        long filesBefore = TableData.files(spark, table);
        assertThat(filesBefore).isEqualTo(Fixtures.SMALL_FILES);

        long started = System.nanoTime();
        JobCli.Run run = JobCli.run("optimize", "--table", table, "--result", resultFile.toString());
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        long filesAfter = TableData.files(spark, table);
        System.err.printf("optimize: %d -> %d files in %d ms%n", filesBefore, filesAfter, millis);
        assertThat(filesAfter).isLessThanOrEqualTo(filesBefore / 20); // down by at least 95%
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(masterData);

        JsonNode result = run.result();
        assertThat(result.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(result.get("action").asText()).isEqualTo("optimize");
        assertThat(result.get("table").asText()).isEqualTo(table);
        assertThat(result.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(result.get("versionBefore").asLong()).isZero();
        assertThat(result.get("versionAfter").asLong()).isEqualTo(1);
        assertThat(result.get("commitVersion").asLong()).isEqualTo(1);
        assertThat(result.get("filesRemoved").asLong()).isEqualTo(filesBefore);
        assertThat(result.get("filesAdded").asLong()).isEqualTo(filesAfter);
        assertThat(result.get("bytesRemoved").asLong()).isPositive();
        assertThat(result.get("bytesAdded").asLong()).isPositive();
        assertThat(result.get("partitionColumns")).hasSize(1);
        assertThat(result.get("partitionColumns").get(0).asText()).isEqualTo("event_date");
        assertThat(result.get("partitionsOptimized").asLong()).isEqualTo(Fixtures.SMALL_FILES_PARTITIONS);
        assertThat(result.get("where").isNull()).isTrue();
        assertThat(result.get("zOrderBy")).isEmpty();
        assertThat(result.get("attempts").asInt()).isEqualTo(1);
        assertThat(result.get("error").isNull()).isTrue();
        assertThat(result.get("sparkApplicationId").asText()).isEqualTo(spark.sparkContext().applicationId());
        assertThat(result.get("startedAt").asText()).endsWith("Z");
        assertThat(result.get("durationMs").asLong()).isPositive();
        // the --result file holds the same document as the last stdout line
        assertThat(JobCli.parse(Files.readString(resultFile))).isEqualTo(result);

        // Delta's own history agrees with the result
        JsonNode history = JobCli.parse(spark.sql("DESCRIBE HISTORY delta.`" + table + "` LIMIT 1")
                .selectExpr("to_json(operationMetrics)").head().getString(0));
        assertThat(history.get("numRemovedFiles").asLong()).isEqualTo(result.get("filesRemoved").asLong());
        assertThat(history.get("numAddedBytes").asLong()).isEqualTo(result.get("bytesAdded").asLong());
    }

    @Test
    void whereCompactsOnlyTheSelectedPartitions() {
        String table = Fixtures.copy(master, tmp.resolve("events")).toString();
        long perPartition = Fixtures.SMALL_FILES / Fixtures.SMALL_FILES_PARTITIONS;

        JobCli.Run run = JobCli.run("optimize", "--table", table, "--where", "event_date = '2024-01-02'",
                "--run-tag", "da-optimize-v0-abc123");

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        // the commit names the run that made it, for the agent to reconcile a run it lost track of
        assertThat(spark.sql("DESCRIBE HISTORY delta.`" + table + "` LIMIT 1").selectExpr("userMetadata").head().getString(0))
                .isEqualTo("delta-agent:da-optimize-v0-abc123");
        assertThat(spark.conf().getOption("spark.databricks.delta.commitInfo.userMetadata").isDefined())
                .as("the tag is set for the job's own commits only").isFalse();
        assertThat(TableData.filesIn(spark, table, "event_date", "2024-01-02")).isEqualTo(1);
        for (String other : new String[] {"2024-01-01", "2024-01-03", "2024-01-04"}) {
            assertThat(TableData.filesIn(spark, table, "event_date", other)).as(other).isEqualTo(perPartition);
        }
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(masterData);
        JsonNode result = run.result();
        assertThat(result.get("where").asText()).isEqualTo("event_date = '2024-01-02'");
        assertThat(result.get("filesRemoved").asLong()).isEqualTo(perPartition);
        assertThat(result.get("filesAdded").asLong()).isEqualTo(1);
        assertThat(result.get("partitionsOptimized").asLong()).isEqualTo(1);
    }

    @Test
    void aSecondRunFindsNothingToDoAndCommitsNothing() {
        String table = Fixtures.copy(Fixtures.tinyTable(spark), tmp.resolve("tiny")).toString();

        JobCli.Run first = JobCli.run("optimize", "--table", table);
        JobCli.Run second = JobCli.run("optimize", "--table", table);

        assertThat(first.exitCode()).isZero();
        assertThat(first.result().get("filesRemoved").asLong()).isEqualTo(8);
        assertThat(first.result().get("filesAdded").asLong()).isEqualTo(4);
        assertThat(second.exitCode()).isZero();
        assertThat(second.result().get("filesRemoved").asLong()).isZero();
        assertThat(second.result().get("filesAdded").asLong()).isZero();
        assertThat(second.result().get("commitVersion").isNull()).isTrue();
        assertThat(second.result().get("versionBefore").asLong()).isEqualTo(1);
        assertThat(second.result().get("versionAfter").asLong()).isEqualTo(1);
    }

    @Test
    void rejectsAPredicateOnADataColumnAndNamesTheColumn() {
        String table = Fixtures.tinyTable(spark).toString();

        JobCli.Run run = JobCli.run("optimize", "--table", table, "--where",
                "amount > 10 AND event_date = '2024-01-01'");

        assertThat(run.exitCode()).isEqualTo(2);
        JsonNode error = run.result().get("error");
        assertThat(run.result().get("status").asText()).isEqualTo("FAILED");
        assertThat(error.get("class").asText()).isEqualTo("io.deltaagent.jobs.error.InvalidInputException");
        assertThat(error.get("message").asText())
                .startsWith(table + ": --where 'amount > 10 AND event_date = '2024-01-01'' references column 'amount'")
                .contains("is not a partition column", "[event_date]");
        assertThat(error.get("retryable").asBoolean()).isFalse();
        assertThat(run.result().get("versionBefore").asLong()).isZero();
        assertThat(TableData.version(spark, table)).isZero();
    }

    @Test
    void rejectsAPredicateThatDoesNotParse() {
        String table = Fixtures.tinyTable(spark).toString();

        JobCli.Run run = JobCli.run("optimize", "--table", table, "--where", "event_date = = '2024'");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.result().at("/error/message").asText())
                .startsWith(table + ": --where 'event_date = = '2024'' is not a valid Spark SQL predicate: ")
                .contains("PARSE_SYNTAX_ERROR");
    }

    @Test
    void rejectsUnknownAndPartitionZOrderColumns() {
        String table = Fixtures.tinyTable(spark).toString();

        JobCli.Run unknown = JobCli.run("optimize", "--table", table, "--zorder-by", "customer_id,nope");
        JobCli.Run partition = JobCli.run("optimize", "--table", table, "--zorder-by", "event_date");
        JobCli.Run missing = JobCli.run("optimize", "--table", table, "--where", "no_such_col = 1");

        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.result().at("/error/message").asText())
                .isEqualTo(table + ": --zorder-by column 'nope' does not exist in the table; its data columns are "
                        + "[id, event_time, customer_id, amount, country].");
        assertThat(partition.exitCode()).isEqualTo(2);
        assertThat(partition.result().at("/error/message").asText())
                .startsWith(table + ": --zorder-by column 'event_date' is a partition column");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.result().at("/error/message").asText())
                .contains("references column 'no_such_col', which the table does not have");
        assertThat(TableData.version(spark, table)).isZero();
    }
}
