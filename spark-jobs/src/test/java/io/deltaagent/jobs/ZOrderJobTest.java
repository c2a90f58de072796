package io.deltaagent.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.jobs.demo.DemoTableWriter;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Z-ordering makes a selective query skip files it had to read before; the data does not change. */
class ZOrderJobTest {
    private static final String MAX_FILE_SIZE = "spark.databricks.delta.optimize.maxFileSize";

    @TempDir
    Path tmp;

    private final SparkSession spark = SparkTestSession.get();

    @AfterEach
    void restore() {
        spark.conf().unset(MAX_FILE_SIZE);
    }

    @Test
    void aSelectiveQueryReadsFewerFilesAfterZOrderBy() {
        String table = tmp.resolve("customers").toString();
        // 200 unpartitioned files with random customer_id: every file's min/max spans almost the whole range
        DemoTableWriter.Written written = DemoTableWriter.write(spark, table, 200, 0, 500, 11);
        TableData.Fingerprint before = TableData.fingerprint(spark, table);
        int customer = spark.read().format("delta").load(table).selectExpr("customer_id").head().getInt(0);
        String query = "customer_id = " + customer;
        long filesReadBefore = ScanMetrics.filesRead(spark.read().format("delta").load(table).where(query));
        // aim for about 8 output files so Z-order has ranges to skip on this small table
        spark.conf().set(MAX_FILE_SIZE, Long.toString(written.bytes() / 8));

        JobCli.Run run = JobCli.run("optimize", "--table", table, "--zorder-by", "customer_id");

        assertThat(run.exitCode()).as(run.stdout().toString()).isZero();
        long filesReadAfter = ScanMetrics.filesRead(spark.read().format("delta").load(table).where(query));
        System.err.printf("z-order: %d -> %d files; query %s read %d -> %d files%n", written.filesWritten(),
                TableData.files(spark, table), query, filesReadBefore, filesReadAfter);
        assertThat(filesReadBefore).isGreaterThan(150);
        assertThat(filesReadAfter).isLessThanOrEqualTo(2).isLessThan(filesReadBefore);
        assertThat(TableData.fingerprint(spark, table)).isEqualTo(before);
        assertThat(run.result().get("zOrderBy").get(0).asText()).isEqualTo("customer_id");
        assertThat(run.result().get("filesRemoved").asLong()).isEqualTo(200);
        assertThat(run.result().get("filesAdded").asLong()).isEqualTo(TableData.files(spark, table)).isGreaterThan(1);
    }
}
