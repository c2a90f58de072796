package io.deltaagent.jobs;

import io.deltaagent.jobs.spark.DeltaLogs;
import java.math.BigDecimal;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.functions;

/** Facts about a table's data and files, for asserting that maintenance changed layout and nothing else. */
public final class TableData {
    private TableData() {
    }

    /** Row count and an order-independent checksum over every column: sum of xxhash64 of each row. */
    public record Fingerprint(long rows, BigDecimal checksum) {
    }

    public static Fingerprint fingerprint(SparkSession spark, String path) {
        return fingerprint(spark.read().format("delta").load(path));
    }

    public static Fingerprint fingerprintAsOf(SparkSession spark, String path, long version) {
        return fingerprint(spark.read().format("delta").option("versionAsOf", version).load(path));
    }

    public static Fingerprint fingerprint(Dataset<Row> data) {
        Column[] all = Arrays.stream(data.columns()).map(functions::col).toArray(Column[]::new);
        Row row = data.agg(functions.count(functions.lit(1)),
                functions.sum(functions.xxhash64(all).cast("decimal(38,0)"))).head();
        BigDecimal sum = row.isNullAt(1) ? BigDecimal.ZERO : row.getDecimal(1);
        return new Fingerprint(row.getLong(0), sum);
    }

    public static long files(SparkSession spark, String path) {
        return DeltaLogs.latest(DeltaLog.forTable(spark, path)).numOfFiles();
    }

    public static long version(SparkSession spark, String path) {
        return DeltaLogs.latest(DeltaLog.forTable(spark, path)).version();
    }

    /** Data files in the latest snapshot whose partition column {@code column} equals {@code value}. */
    public static long filesIn(SparkSession spark, String path, String column, String value) {
        return DeltaLogs.latest(DeltaLog.forTable(spark, path)).allFiles().toDF()
                .filter(functions.col("partitionValues").getItem(column).equalTo(value)).count();
    }
}
