package io.deltaagent.jobs;

import org.apache.spark.sql.SparkSession;

/**
 * The one Spark session of the test JVM (surefire reuses one fork for every test class). The job under test
 * finds it through {@code SparkSession.builder().getOrCreate()}, as it would find a platform's session.
 */
public final class SparkTestSession {
    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("spark-jobs-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.sources.parallelPartitionDiscovery.parallelism", "4")
                // Delta's state reconstruction defaults to 50 partitions: minutes of task overhead on 2 cores
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.sql.warehouse.dir", "target/spark-warehouse")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .getOrCreate();
    }
}
