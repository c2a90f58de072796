package io.deltaagent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.jobs.spark.DeltaLogs;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;

/** OPTIMIZE while other writers commit to the same table: nothing lost, nothing doubled, conflicts retried. */
class ConcurrentOptimizeTest {
    private static final String DELETED_PARTITION = "2024-01-04";

    private static SparkSession spark;
    private static Path master;
    private static TableData.Fingerprint masterData;

    @TempDir
    Path tmp;

    private SparkListener listener;

    @BeforeAll
    static void fixture() {
        spark = SparkTestSession.get();
        master = Fixtures.smallFilesTable(spark);
        masterData = Fixtures.smallFilesData(spark);
    }

    @AfterEach
    void removeListener() {
        if (listener != null) {
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    private static Dataset<Row> batch(long first, int rows) {
        return spark.range(first, first + rows).selectExpr("id", "timestamp_seconds(1704067200 + id) AS event_time",
                "CAST(id % 1000 AS INT) AS customer_id", "CAST(id % 97 AS DOUBLE) AS amount", "'SE' AS country",
                "'2024-01-01' AS event_date");
    }

    private static TableData.Fingerprint plus(TableData.Fingerprint a, TableData.Fingerprint b, int sign) {
        return new TableData.Fingerprint(a.rows() + sign * b.rows(),
                a.checksum().add(b.checksum().multiply(BigDecimal.valueOf(sign))));
    }

    /** Counts down when OPTIMIZE starts rewriting its first bin (Delta names those jobs "Optimizing N files"). */
    private CountDownLatch optimizeStarted() {
        CountDownLatch started = new CountDownLatch(1);
        listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
                String description = job.properties() == null ? null
                        : job.properties().getProperty("spark.job.description");
                if (description != null && description.contains("Optimizing")) {
                    started.countDown();
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        return started;
    }

    @Test
    void anAppenderRacingOptimizeLosesAndDuplicatesNothing() throws Exception {
        String table = Fixtures.copy(master, tmp.resolve("events")).toString();
        AtomicBoolean optimizeDone = new AtomicBoolean();
        CompletableFuture<List<TableData.Fingerprint>> appender = CompletableFuture.supplyAsync(() -> {
            List<TableData.Fingerprint> appended = new ArrayList<>();
            for (int i = 0; i < 20 && (i < 3 || !optimizeDone.get()); i++) {
                Dataset<Row> rows = batch(10_000_000L + i * 50L, 50);
                rows.write().format("delta").mode("append").save(table);
                appended.add(TableData.fingerprint(rows));
            }
            return appended;
        });

        JobCli.Run run = JobCli.run("optimize", "--table", table, "--retry-backoff", "200ms");
        optimizeDone.set(true);
        List<TableData.Fingerprint> appended = appender.get(5, TimeUnit.MINUTES);

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        TableData.Fingerprint expected = masterData;
        for (TableData.Fingerprint batch : appended) {
            expected = plus(expected, batch, 1);
        }
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(expected);
        assertThat(spark.read().format("delta").load(table).select("id").distinct().count())
                .isEqualTo(expected.rows());
        System.err.printf("appender: %d appends during optimize; optimize attempts %d, versions %d -> %d%n",
                appended.size(), run.result().get("attempts").asInt(), run.result().get("versionBefore").asLong(),
                run.result().get("versionAfter").asLong());
    }

    @Test
    void aDeleteThatWinsTheRaceMakesOptimizeRetryFromTheNewVersion() throws Exception {
        String table = Fixtures.copy(master, tmp.resolve("events")).toString();
        AddFile victim = aFileIn(table, DELETED_PARTITION);
        TableData.Fingerprint deleted = TableData.fingerprint(rowsOf(table, victim));
        CountDownLatch started = optimizeStarted();
        CompletableFuture<Long> deleter = CompletableFuture.supplyAsync(() -> {
            await(started);
            return deleteFile(table, victim);
        });

        JobCli.Run run = JobCli.run("optimize", "--table", table, "--retry-backoff", "100ms");
        long deleteVersion = deleter.get(5, TimeUnit.MINUTES);

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        JsonNode result = run.result();
        assertThat(deleteVersion).isEqualTo(1);
        assertThat(result.get("attempts").asInt()).isEqualTo(2);
        assertThat(result.get("versionBefore").asLong()).isEqualTo(1); // the second attempt started after the delete
        assertThat(result.get("commitVersion").asLong()).isEqualTo(2);
        assertThat(result.get("filesRemoved").asLong()).isEqualTo(Fixtures.SMALL_FILES - 1);
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(plus(masterData, deleted, -1));
        assertThat(TableData.files(spark, table)).isEqualTo(Fixtures.SMALL_FILES_PARTITIONS);
    }

    @Test
    void conflictsThatOutlastTheAttemptsFailWithExit75AndLeaveTheTableConsistent() throws Exception {
        String table = Fixtures.copy(master, tmp.resolve("events")).toString();
        Path resultFile = tmp.resolve("result.json");
        AddFile victim = aFileIn(table, DELETED_PARTITION);
        TableData.Fingerprint deleted = TableData.fingerprint(rowsOf(table, victim));
        CountDownLatch started = optimizeStarted();
        CompletableFuture<Long> deleter = CompletableFuture.supplyAsync(() -> {
            await(started);
            return deleteFile(table, victim);
        });

        JobCli.Run run = JobCli.run("optimize", "--table", table, "--max-attempts", "1", "--result",
                resultFile.toString());
        deleter.get(5, TimeUnit.MINUTES);

        assertThat(run.exitCode()).isEqualTo(75);
        JsonNode result = run.result();
        assertThat(result.get("status").asText()).isEqualTo("FAILED");
        assertThat(result.get("attempts").asInt()).isEqualTo(1);
        assertThat(result.at("/error/class").asText())
                .isEqualTo("io.deltaagent.jobs.error.ConflictRetriesExhaustedException");
        assertThat(result.at("/error/retryable").asBoolean()).isTrue();
        assertThat(result.at("/error/message").asText())
                .startsWith(table + ": gave up after 1 attempt: every attempt lost a commit race")
                .contains("ConcurrentDeleteReadException");
        assertThat(result.at("/error/cause").asText()).startsWith("io.delta.exceptions.ConcurrentDeleteReadException");
        assertThat(JobCli.parse(Files.readString(resultFile))).isEqualTo(result);
        // only the delete committed: OPTIMIZE's losing commit left no trace in the table
        assertThat(TableData.version(spark, table)).isEqualTo(1);
        assertThat(TableData.files(spark, table)).isEqualTo(Fixtures.SMALL_FILES - 1);
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(plus(masterData, deleted, -1));
    }

    private static AddFile aFileIn(String table, String eventDate) {
        return DeltaLogs.latest(DeltaLog.forTable(spark, table)).allFiles()
                .filter(functions.col("partitionValues").getItem("event_date").equalTo(eventDate)).first();
    }

    /** The rows of one data file, with its partition value and in table column order. */
    private static Dataset<Row> rowsOf(String table, AddFile file) {
        return spark.read().parquet(table + "/" + file.path())
                .withColumn("event_date", functions.lit(file.partitionValues().apply("event_date")))
                .select("id", "event_time", "customer_id", "amount", "country", "event_date");
    }

    /**
     * A concurrent writer's metadata-only DELETE of one whole file, committed straight through Delta's
     * transaction API: no Spark job, so it lands while OPTIMIZE is still rewriting, every time.
     */
    private static long deleteFile(String table, AddFile file) {
        OptimisticTransaction txn = DeltaLog.forTable(spark, table).startTransaction();
        // "Manual Update" is Delta's operation for hand-built commits; DELETE's would demand row metrics
        // an immutable List is the Seq commit takes on Scala 2.12 (collection.Seq) and 2.13 (immutable.Seq) alike
        return txn.commit(JavaConverters.asScalaBuffer(List.<Action>of(file.remove())).toList(),
                DeltaOperations.ManualUpdate$.MODULE$);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("OPTIMIZE never started a rewrite job");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
