package io.deltaagent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;

/**
 * Writes the Delta tables the agent's tests audit, with real Spark and delta-spark, plus a ground-truth
 * file per table ({@code NAME.truth.json}) measured by Spark itself: DESCRIBE DETAIL, the latest version,
 * Delta's own tombstone count, and the data files on disk. Run once per build in a child JVM:
 * {@code FixtureTables OUTPUT_DIR}.
 */
public final class FixtureTables {

    /**
     * Bump when a fixture changes, so builds regenerate them. Not a compile-time constant: javac would copy one into
     * the agent's Fixtures class, and an incremental build of the agent would keep checking the old value.
     */
    public static final String VERSION = String.valueOf(7);

    public static final List<String> NAMES = List.of(
            "spark_unpartitioned_nocheckpoint",
            "spark_partitioned_checkpoints",
            "spark_optimized",
            "spark_multipart_checkpoint",
            "spark_column_mapping",
            "spark_deletion_vectors",
            "spark_deletion_vectors_partitioned",
            "spark_v2_checkpoint",
            "spark_timestamp_ntz",
            "spark_column_mapping_partitioned",
            "spark_v2_checkpoint_parquet",
            "spark_mixed_sizes",
            "spark_clustered");

    private static final ObjectMapper JSON = new ObjectMapper();

    private FixtureTables() {
    }

    /** The small local Delta session the fixture writers use: loopback only, no UI, two partitions. */
    static SparkSession session(String appName) {
        return SparkSession.builder()
                .master("local[2]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .getOrCreate();
    }

    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[0]).toAbsolutePath();
        Files.createDirectories(out);
        SparkSession spark = session("delta-agent-fixtures");
        try {
            unpartitioned(spark, out.resolve(NAMES.get(0)));
            partitioned(spark, out.resolve(NAMES.get(1)));
            optimized(spark, out.resolve(NAMES.get(2)));
            multipart(spark, out.resolve(NAMES.get(3)));
            columnMapping(spark, out.resolve(NAMES.get(4)));
            deletionVectors(spark, out.resolve(NAMES.get(5)));
            deletionVectorsPartitioned(spark, out.resolve(NAMES.get(6)));
            v2Checkpoint(spark, out.resolve(NAMES.get(7)));
            timestampNtz(spark, out.resolve(NAMES.get(8)));
            columnMappingPartitioned(spark, out.resolve(NAMES.get(9)));
            v2CheckpointParquet(spark, out.resolve(NAMES.get(10)));
            mixedSizes(spark, out.resolve(NAMES.get(11)));
            clustered(spark, out.resolve(NAMES.get(12)));
            for (String name : NAMES) {
                truth(spark, out, name);
            }
            Files.writeString(out.resolve(".complete"), VERSION);
        } finally {
            spark.stop();
        }
    }

    private static Dataset<Row> batch(SparkSession spark, int commit, int rows) {
        return spark.range(rows).selectExpr(
                "id + " + (long) commit * rows + " AS id",
                "concat('name-', id, '-', " + commit + ") AS name",
                "cast(rand(" + commit + ") * 1000 AS double) AS amount",
                "date_add(DATE'2024-01-01', cast(id % 3 AS int)) AS date");
    }

    /** 5 commits of 8 files: 40 small files, no checkpoint. */
    private static void unpartitioned(SparkSession spark, Path table) {
        for (int c = 0; c < 5; c++) {
            batch(spark, c, 400).repartition(8).write().format("delta").mode("append").save(table.toString());
        }
    }

    /** 25 commits of 6 files over 3 date partitions: 150 files, 50 per partition; checkpoints at 10 and 20. */
    private static void partitioned(SparkSession spark, Path table) {
        for (int c = 0; c < 25; c++) {
            batch(spark, c, 300).repartition(2).write().format("delta").mode("append").partitionBy("date")
                    .save(table.toString());
        }
    }

    /**
     * Healthy large files beside many tiny ones, partitioned by {@code p}: in {@code p=a} 3 files of about 1.5 MiB
     * (random hex, so Parquet cannot shrink them) and 60 tiny appends in 6 commits; in {@code p=b} 2 large files only.
     * With a 2 MiB target and a 1 MiB small-file size it is issue 13's table scaled down: only the 60 tiny files are due.
     */
    private static void mixedSizes(SparkSession spark, Path table) {
        for (String p : List.of("a", "a", "a", "b", "b")) {
            spark.range(22_000).selectExpr("id", "sha2(cast(rand() AS string), 256) AS payload", "'" + p + "' AS p")
                    .repartition(1).write().format("delta").mode("append").partitionBy("p").save(table.toString());
        }
        for (int c = 0; c < 6; c++) {
            spark.range(200).selectExpr("id", "concat('tiny-', id, '-', " + c + ") AS payload", "'a' AS p")
                    .repartition(10).write().format("delta").mode("append").partitionBy("p").save(table.toString());
        }
    }

    /**
     * Liquid clustering by {@code country} (writer feature clustering, domain metadata delta.clustering): 12 appends of
     * 5 files, 60 small files; the checkpoint at 10 carries the domain metadata, no later commit repeats it.
     */
    private static void clustered(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT, country STRING) USING delta CLUSTER BY (country)");
        for (int c = 0; c < 12; c++) {
            spark.range(100).selectExpr("id + " + c * 100 + " AS id", "concat('c', id % 7) AS country").repartition(5)
                    .write().format("delta").mode("append").save(table.toString());
        }
    }

    /** 4 commits of 10 files, then OPTIMIZE: 1 file, 40 tombstones. */
    private static void optimized(SparkSession spark, Path table) {
        for (int c = 0; c < 4; c++) {
            batch(spark, c, 500).repartition(10).write().format("delta").mode("append").save(table.toString());
        }
        spark.sql("OPTIMIZE delta.`" + table + "`").collect();
    }

    /** One commit of 30 files, then 10 single-file commits; the checkpoint at 10 is written in parts of 8 actions. */
    private static void multipart(SparkSession spark, Path table) {
        spark.conf().set("spark.databricks.delta.checkpoint.partSize", "8");
        try {
            batch(spark, 0, 600).repartition(30).write().format("delta").mode("append").save(table.toString());
            for (int c = 1; c <= 10; c++) {
                batch(spark, c, 50).repartition(1).write().format("delta").mode("append").save(table.toString());
            }
        } finally {
            spark.conf().unset("spark.databricks.delta.checkpoint.partSize");
        }
    }

    /** Column mapping by name: reader version 2, beyond Delta Standalone. */
    private static void columnMapping(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT, name STRING) USING delta TBLPROPERTIES ("
                + "'delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5')");
        batch(spark, 0, 200).select("id", "name").repartition(4).write().format("delta").mode("append").save(table.toString());
    }

    /** Deletion vectors after a DELETE: reader version 3. */
    private static void deletionVectors(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT, name STRING) USING delta TBLPROPERTIES ("
                + "'delta.enableDeletionVectors' = 'true')");
        batch(spark, 0, 400).select("id", "name").repartition(4).write().format("delta").mode("append").save(table.toString());
        spark.sql("DELETE FROM delta.`" + table + "` WHERE id % 10 = 0").collect();
    }

    /** Deletion vectors in a date-partitioned table, after a DELETE and an UPDATE. */
    private static void deletionVectorsPartitioned(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT, name STRING, date DATE) USING delta PARTITIONED BY (date) "
                + "TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
        for (int c = 0; c < 3; c++) {
            batch(spark, c, 300).select("id", "name", "date").repartition(2).write().format("delta").mode("append")
                    .save(table.toString());
        }
        spark.sql("DELETE FROM delta.`" + table + "` WHERE id % 7 = 0").collect();
        spark.sql("UPDATE delta.`" + table + "` SET name = 'updated' WHERE id % 11 = 0").collect();
    }

    /** V2 checkpoints (delta.checkpointPolicy = v2): 12 commits, a UUID-named checkpoint at 10. */
    private static void v2Checkpoint(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT, name STRING, amount DOUBLE, date DATE) USING delta "
                + "TBLPROPERTIES ('delta.checkpointPolicy' = 'v2')");
        for (int c = 0; c < 12; c++) {
            batch(spark, c, 100).repartition(2).write().format("delta").mode("append").save(table.toString());
        }
        spark.sql("DELETE FROM delta.`" + table + "` WHERE id < 50").collect();
    }

    /**
     * Column mapping by name in a date-partitioned table, a checkpoint at 10 and commits after it: the checkpoint's and
     * the commits' partitionValues are keyed by the columns' physical names (col-UUID), not by "date".
     */
    private static void columnMappingPartitioned(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT, name STRING, date DATE) USING delta PARTITIONED BY (date) "
                + "TBLPROPERTIES ('delta.columnMapping.mode' = 'name', 'delta.minReaderVersion' = '2', "
                + "'delta.minWriterVersion' = '5')");
        for (int c = 0; c < 12; c++) {
            batch(spark, c, 150).select("id", "name", "date").repartition(2).write().format("delta").mode("append")
                    .save(table.toString());
        }
        spark.sql("DELETE FROM delta.`" + table + "` WHERE date = DATE'2024-01-02' AND id % 2 = 0").collect();
    }

    /** V2 checkpoints whose top-level file is Parquet, not JSON: 12 commits, a UUID-named .parquet checkpoint at 10. */
    private static void v2CheckpointParquet(SparkSession spark, Path table) {
        spark.conf().set("spark.databricks.delta.checkpointV2.topLevelFileFormat", "parquet");
        try {
            spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT, name STRING, amount DOUBLE, date DATE) USING delta "
                    + "PARTITIONED BY (date) TBLPROPERTIES ('delta.checkpointPolicy' = 'v2')");
            for (int c = 0; c < 12; c++) {
                batch(spark, c, 100).repartition(2).write().format("delta").mode("append").save(table.toString());
            }
        } finally {
            spark.conf().unset("spark.databricks.delta.checkpointV2.topLevelFileFormat");
        }
    }

    /** A timestampNtz column: reader version 3 with the timestampNtz feature. */
    private static void timestampNtz(SparkSession spark, Path table) {
        spark.sql("CREATE TABLE delta.`" + table + "` (id BIGINT, ts TIMESTAMP_NTZ) USING delta");
        spark.range(300).selectExpr("id", "CAST(TIMESTAMP'2024-01-01 00:00:00' AS TIMESTAMP_NTZ) + make_interval(0, 0, 0, 0, 0, 0, id) AS ts")
                .repartition(3).write().format("delta").mode("append").save(table.toString());
    }

    static void truth(SparkSession spark, Path out, String name) throws IOException {
        Path table = out.resolve(name);
        Row detail = spark.sql("DESCRIBE DETAIL delta.`" + table + "`").first();
        ObjectNode truth = JSON.createObjectNode();
        truth.put("numFiles", ((Number) detail.getAs("numFiles")).longValue());
        truth.put("sizeInBytes", ((Number) detail.getAs("sizeInBytes")).longValue());
        truth.put("minReaderVersion", ((Number) detail.getAs("minReaderVersion")).intValue());
        truth.put("minWriterVersion", ((Number) detail.getAs("minWriterVersion")).intValue());
        List<String> partitionColumns = detail.getList(detail.fieldIndex("partitionColumns"));
        partitionColumns.forEach(truth.putArray("partitionColumns")::add);
        Row history = spark.sql("DESCRIBE HISTORY delta.`" + table + "` LIMIT 1").first();
        truth.put("version", ((Number) history.getAs("version")).longValue());

        Snapshot snapshot = DeltaLog.forTable(spark, table.toString()).update(false, scala.Option.empty(), scala.Option.empty());
        Row tombstones = snapshot.tombstones().toDF().selectExpr("count(*) AS n", "coalesce(sum(size), 0) AS bytes").first();
        truth.put("tombstones", tombstones.getLong(0));
        truth.put("tombstoneBytes", tombstones.getLong(1));

        long[] onDisk = new long[2];
        try (Stream<Path> files = Files.walk(table)) {
            files.filter(p -> !table.relativize(p).toString().startsWith("_delta_log"))
                    .filter(p -> p.getFileName().toString().endsWith(".parquet"))
                    .forEach(p -> {
                        onDisk[0]++;
                        onDisk[1] += p.toFile().length();
                    });
        }
        truth.put("dataFilesOnDisk", onDisk[0]);
        truth.put("dataBytesOnDisk", onDisk[1]);
        Files.writeString(out.resolve(name + ".truth.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(truth));
    }
}
