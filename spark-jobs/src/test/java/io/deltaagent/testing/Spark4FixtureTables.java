package io.deltaagent.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;

/**
 * The Delta tables only Spark 4 with delta-spark 4.x writes, for the agent's tests, with the same truth files as
 * {@link FixtureTables}. Run once per build in a child JVM with the Spark 4 jobs module's runtime
 * ({@code spark-jobs/spark4/target/spark-runtime/}): {@code Spark4FixtureTables OUTPUT_DIR}. The class compiles in both
 * modules (the shared test sources) but only runs on Spark 4.
 */
public final class Spark4FixtureTables {

    /** Bump when a fixture changes, so builds regenerate them (not a compile-time constant, as in FixtureTables). */
    public static final String VERSION = String.valueOf(2);

    public static final String DELETION_VECTORS = "spark4_deletion_vectors";
    public static final String COLUMN_MAPPING = "spark4_column_mapping";
    /** typeWidening (delta-spark 3.3 knows it too; the 4.x build writes it by default, GA). */
    public static final String TYPE_WIDENING = "spark4_type_widening";
    /** variantType: a Delta 4 reader-writer feature (delta-spark 3.3 knows only variantType-preview). */
    public static final String VARIANT = "spark4_variant";
    /**
     * materializePartitionColumns: a Delta 4 writer-only feature delta-spark 3.3 cannot write (compare the two runtimes'
     * delta-features.json), on a partitioned table with many small files: the 4 runtime can OPTIMIZE it, the 3.5 one must not.
     */
    public static final String DELTA4_WRITER_FEATURE = "spark4_materialize_partition_columns";
    public static final String IN_COMMIT_TIMESTAMPS = "spark4_in_commit_timestamps";
    public static final String V2_CHECKPOINT_SIDECARS = "spark4_v2_checkpoint_sidecars";

    public static final List<String> NAMES = List.of(DELETION_VECTORS, COLUMN_MAPPING, TYPE_WIDENING, VARIANT, IN_COMMIT_TIMESTAMPS,
            V2_CHECKPOINT_SIDECARS, DELTA4_WRITER_FEATURE);

    private Spark4FixtureTables() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[0]).toAbsolutePath();
        Files.createDirectories(out);
        SparkSession spark = FixtureTables.session("delta-agent-spark4-fixtures");
        try {
            deletionVectors(spark, out.resolve(DELETION_VECTORS));
            columnMapping(spark, out.resolve(COLUMN_MAPPING));
            typeWidening(spark, out.resolve(TYPE_WIDENING));
            variant(spark, out.resolve(VARIANT));
            inCommitTimestamps(spark, out.resolve(IN_COMMIT_TIMESTAMPS));
            v2CheckpointSidecars(spark, out.resolve(V2_CHECKPOINT_SIDECARS));
            delta4WriterFeature(spark, out.resolve(DELTA4_WRITER_FEATURE));
            for (String name : NAMES) {
                FixtureTables.truth(spark, out, name);
            }
            Files.writeString(out.resolve(".complete"), VERSION);
        } finally {
            spark.stop();
        }
    }

    private static String t(Path table) {
        return "delta.`" + table + "`";
    }

    /** Several small appends (OPTIMIZE has work), then a DELETE that writes deletion vectors. */
    private static void deletionVectors(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE " + t(table) + " (id BIGINT, name STRING) USING delta TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
        for (int c = 0; c < 4; c++) {
            spark.range(c * 300L, (c + 1) * 300L).selectExpr("id", "concat('name-', id) AS name").repartition(3)
                    .write().format("delta").mode("append").save(table.toString());
        }
        spark.sql("DELETE FROM " + t(table) + " WHERE id % 10 = 0").collect();
    }

    /** Column mapping by name, with a renamed column (its physical name no longer matches). */
    private static void columnMapping(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE " + t(table) + " (id BIGINT, name STRING) USING delta TBLPROPERTIES ('delta.columnMapping.mode' = 'name')");
        for (int c = 0; c < 3; c++) {
            spark.sql("INSERT INTO " + t(table) + " SELECT id, concat('n', id) FROM range(" + c * 200 + ", " + (c + 1) * 200 + ")");
        }
        spark.sql("ALTER TABLE " + t(table) + " RENAME COLUMN name TO label");
        spark.sql("INSERT INTO " + t(table) + " SELECT id, concat('l', id) FROM range(600, 800)");
    }

    /** An INT column widened to BIGINT: files written before and after the change (typeWidening). */
    private static void typeWidening(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE " + t(table) + " (id BIGINT, v INT, date DATE) USING delta PARTITIONED BY (date) "
                + "TBLPROPERTIES ('delta.enableTypeWidening' = 'true')");
        for (int c = 0; c < 4; c++) {
            spark.sql("INSERT INTO " + t(table) + " SELECT id, CAST(id AS INT), date_add(DATE'2024-01-01', CAST(id % 2 AS INT)) FROM range("
                    + c * 250 + ", " + (c + 1) * 250 + ")");
        }
        spark.sql("ALTER TABLE " + t(table) + " CHANGE COLUMN v TYPE BIGINT");
        for (int c = 0; c < 3; c++) {
            spark.sql("INSERT INTO " + t(table) + " SELECT id, id * 10000000000, date_add(DATE'2024-01-01', CAST(id % 2 AS INT)) FROM range("
                    + (1000 + c * 250) + ", " + (1000 + (c + 1) * 250) + ")");
        }
    }

    /** A VARIANT column (variantType). */
    private static void variant(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE " + t(table) + " (id BIGINT, payload VARIANT) USING delta");
        for (int c = 0; c < 3; c++) {
            spark.sql("INSERT INTO " + t(table) + " SELECT id, parse_json(concat('{\"id\":', id, ',\"tags\":[\"a\",\"b\"]}')) FROM range("
                    + c * 200 + ", " + (c + 1) * 200 + ")");
        }
    }

    /** In-commit timestamps from the first commit: every commitInfo carries inCommitTimestamp. */
    private static void inCommitTimestamps(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE " + t(table) + " (id BIGINT, name STRING) USING delta TBLPROPERTIES ('delta.enableInCommitTimestamps' = 'true')");
        for (int c = 0; c < 5; c++) {
            spark.range(c * 200L, (c + 1) * 200L).selectExpr("id", "concat('name-', id) AS name").repartition(2)
                    .write().format("delta").mode("append").save(table.toString());
        }
    }

    /** 6 appends of 4 files into 2 partitions with materializePartitionColumns: 12 small files per partition. */
    private static void delta4WriterFeature(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE " + t(table) + " (id BIGINT, name STRING, date DATE) USING delta PARTITIONED BY (date) "
                + "TBLPROPERTIES ('delta.feature.materializePartitionColumns' = 'supported')");
        for (int c = 0; c < 6; c++) {
            spark.range(c * 200L, (c + 1) * 200L)
                    .selectExpr("id", "concat('name-', id) AS name", "date_add(DATE'2024-01-01', CAST(id % 2 AS INT)) AS date")
                    .repartition(2).write().format("delta").mode("append").save(table.toString());
        }
    }

    /** A V2 checkpoint (Parquet top-level file) whose file actions sit in sidecars under _delta_log/_sidecars/, commits after it. */
    private static void v2CheckpointSidecars(SparkSession spark, Path table) {
        spark.conf().set("spark.databricks.delta.checkpointV2.topLevelFileFormat", "parquet");
        try {
            spark.sql("CREATE TABLE " + t(table) + " (id BIGINT, name STRING) USING delta TBLPROPERTIES ('delta.checkpointPolicy' = 'v2')");
            for (int c = 0; c < 6; c++) {
                spark.range(c * 100L, (c + 1) * 100L).selectExpr("id", "concat('name-', id) AS name").repartition(2)
                        .write().format("delta").mode("append").save(table.toString());
            }
            DeltaLog.forTable(spark, table.toString()).checkpoint();
            for (int c = 6; c < 8; c++) {
                spark.range(c * 100L, (c + 1) * 100L).selectExpr("id", "concat('name-', id) AS name").repartition(2)
                        .write().format("delta").mode("append").save(table.toString());
            }
        } finally {
            spark.conf().unset("spark.databricks.delta.checkpointV2.topLevelFileFormat");
        }
    }
}
