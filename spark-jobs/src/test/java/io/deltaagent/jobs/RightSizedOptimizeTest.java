package io.deltaagent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OPTIMIZE with the agent's sizes on a table of healthy large files beside tiny ones (issue 13's table, scaled down:
 * 1 MiB stands for the 64 MiB small-file size, 2 MiB for the 128 MiB target): only the tiny files are rewritten.
 */
class RightSizedOptimizeTest {
    private static final long MIB = 1L << 20;
    private static final String[] SIZES = {"--min-file-size", String.valueOf(MIB), "--max-file-size", String.valueOf(2 * MIB)};

    private static SparkSession spark;
    private static Path master;

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    /** In each of p=a and p=b: 2 files of about 1.5 MiB (random hex: Parquet cannot shrink it) and 30 tiny ones. */
    @BeforeAll
    static void fixture() {
        spark = SparkTestSession.get();
        master = shared.resolve("mixed");
        for (String p : List.of("a", "a", "b", "b")) {
            spark.range(22_000).selectExpr("id", "sha2(cast(rand() AS string), 256) AS payload", "'" + p + "' AS p")
                    .repartition(1).write().format("delta").mode("append").partitionBy("p").save(master.toString());
        }
        for (int c = 0; c < 3; c++) {
            spark.range(200).selectExpr("id", "concat('tiny-', id) AS payload", "if(id % 2 = 0, 'a', 'b') AS p")
                    .repartition(10).write().format("delta").mode("append").partitionBy("p").save(master.toString());
        }
    }

    @Test
    void theAgentsSizesRewriteOnlyTheTinyFiles() {
        String table = Fixtures.copy(master, tmp.resolve("t")).toString();
        Map<String, Long> before = files(table);
        Map<String, Long> large = large(before);
        long tinyBytes = before.values().stream().filter(s -> s < MIB).mapToLong(Long::longValue).sum();
        assertThat(large).as("fixture").hasSize(4).allSatisfy((path, size) -> assertThat(size).isLessThan(2 * MIB));
        assertThat(before).as("fixture").hasSize(64);
        TableData.Fingerprint data = TableData.fingerprint(spark, table);

        JobCli.Run run = JobCli.run(concat(new String[] {"optimize", "--table", table}, SIZES));

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode result = run.result();
        assertThat(result.get("filesRemoved").asLong()).as("the 60 tiny files only").isEqualTo(60);
        assertThat(result.get("bytesRemoved").asLong()).as("write amplification 1.0").isEqualTo(tinyBytes);
        assertThat(result.get("minFileSize").asLong()).isEqualTo(MIB);
        assertThat(result.get("maxFileSize").asLong()).isEqualTo(2 * MIB);
        assertThat(result.get("maxBytesPerCommit").isNull()).isTrue();
        assertThat(result.get("commitVersions")).singleElement().satisfies(v -> assertThat(v.asLong())
                .isEqualTo(result.get("commitVersion").asLong()));
        Map<String, Long> after = files(table);
        assertThat(after).as("the healthy files are untouched").containsAllEntriesOf(large).hasSize(6);
        after.keySet().removeAll(large.keySet());
        // one bin per partition, packed while it stays within max-file-size: output is at most the input bytes of a bin
        assertThat(after.values()).hasSize(2).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(2 * MIB));
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(data);
        assertThat(spark.conf().contains("spark.databricks.delta.optimize.minFileSize")).as("the session is left as found").isFalse();
    }

    @Test
    void withoutThemDeltasDefaultsRewriteTheHealthyFilesToo() {
        String table = Fixtures.copy(master, tmp.resolve("t")).toString();
        JobCli.Run run = JobCli.run("optimize", "--table", table);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.result().get("filesRemoved").asLong()).as("every file under 1 GiB").isEqualTo(64);
        assertThat(run.result().get("minFileSize").isNull()).isTrue();
        assertThat(files(table)).hasSize(2);
    }

    @Test
    void maxBytesPerCommitCommitsInBatchesAndReportsEveryCommit() {
        String table = Fixtures.copy(master, tmp.resolve("t")).toString();
        long versionBefore = TableData.version(spark, table);
        // each partition's tiny files make one bin; a batch of 1 byte holds one bin: two commits
        JobCli.Run run = JobCli.run(concat(new String[] {"optimize", "--table", table, "--max-bytes-per-commit", "1"}, SIZES));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode result = run.result();
        assertThat(result.get("commitVersions")).extracting(JsonNode::asLong).containsExactly(versionBefore + 1, versionBefore + 2);
        assertThat(result.get("commitVersion").asLong()).isEqualTo(versionBefore + 2);
        assertThat(result.get("filesRemoved").asLong()).isEqualTo(60);
        assertThat(result.get("maxBytesPerCommit").asLong()).isEqualTo(1);
        List<Row> history = spark.sql("DESCRIBE HISTORY delta.`" + table + "` LIMIT 2").select("operation").collectAsList();
        assertThat(history).extracting(r -> r.getString(0)).containsExactly("OPTIMIZE", "OPTIMIZE");
        assertThat(files(table)).hasSize(6);
    }

    @Test
    void zOrderStillRewritesEveryFileOfTheSelectedPartitions() {
        String table = Fixtures.copy(master, tmp.resolve("t")).toString();
        JobCli.Run run = JobCli.run(concat(new String[] {"optimize", "--table", table, "--where", "p = 'a'", "--zorder-by", "id"},
                SIZES));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.result().get("filesRemoved").asLong()).as("both large files and the 30 tiny ones of p=a").isEqualTo(32);
    }

    @Test
    void aLiquidClusteredTableIsOptimizedByItsClusteringAndZOrderIsRefused() {
        String table = tmp.resolve("clustered").toString();
        spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT, c STRING) USING delta CLUSTER BY (c)");
        for (int commit = 0; commit < 6; commit++) {
            spark.range(100).selectExpr("id", "concat('c', id % 7) AS c").repartition(5).write().format("delta").mode("append")
                    .save(table);
        }
        long version = TableData.version(spark, table);
        long filesBefore = TableData.files(spark, table);
        assertThat(filesBefore).isEqualTo(30);

        JobCli.Run refused = JobCli.run("optimize", "--table", table, "--zorder-by", "id");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.result().get("error").get("message").asText())
                .contains("the table is liquid-clustered by [c]").contains("Drop --zorder-by");
        assertThat(TableData.version(spark, table)).as("refused before any work").isEqualTo(version);

        JobCli.Run run = JobCli.run(concat(new String[] {"optimize", "--table", table}, SIZES));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.result().get("clusteringColumns")).extracting(JsonNode::asText).containsExactly("c");
        assertThat(run.result().get("filesRemoved").asLong()).isEqualTo(filesBefore);
        assertThat(TableData.files(spark, table)).isLessThan(filesBefore);
        assertThat(spark.sql("DESCRIBE HISTORY delta.`" + table + "` LIMIT 1").head().getString(
                spark.sql("DESCRIBE HISTORY delta.`" + table + "` LIMIT 1").schema().fieldIndex("operation"))).isEqualTo("OPTIMIZE");
    }

    @Test
    void badSizesAreUsageErrorsAndTouchNothing() {
        String table = Fixtures.copy(master, tmp.resolve("t")).toString();
        long version = TableData.version(spark, table);
        JobCli.Run zero = JobCli.run("optimize", "--table", table, "--min-file-size", "0");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.result().get("error").get("message").asText()).contains("--min-file-size must be a positive number of bytes");
        JsonNode inverted = JobCli.run("optimize", "--table", table, "--min-file-size", "2048", "--max-file-size", "1024").result();
        assertThat(inverted.get("error").get("message").asText())
                .contains("--min-file-size 2048 is larger than --max-file-size 1024");
        assertThat(JobCli.run("optimize", "--table", table, "--max-bytes-per-commit", "-5").exitCode()).isEqualTo(2);
        assertThat(JobCli.run("optimize", "--table", table, "--max-file-size", "lots").exitCode()).isEqualTo(2);
        assertThat(TableData.version(spark, table)).isEqualTo(version);
    }

    private static Map<String, Long> files(String table) {
        Map<String, Long> files = new HashMap<>();
        for (Row r : DeltaLog.forTable(spark, table).update(false, scala.Option.empty(), scala.Option.empty()).allFiles().toDF()
                .select("path", "size").collectAsList()) {
            files.put(r.getString(0), r.getLong(1));
        }
        return files;
    }

    private static Map<String, Long> large(Map<String, Long> files) {
        Map<String, Long> large = new HashMap<>();
        files.forEach((path, size) -> {
            if (size >= MIB) {
                large.put(path, size);
            }
        });
        return large;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
