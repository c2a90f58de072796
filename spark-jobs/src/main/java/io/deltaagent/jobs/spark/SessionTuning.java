package io.deltaagent.jobs.spark;

import io.deltaagent.jobs.table.TableState;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns on AQE and sizes shuffles from the table, for the length of a run (through a {@link ConfScope}). */
public final class SessionTuning {
    private static final Logger LOG = LoggerFactory.getLogger(SessionTuning.class);

    static final String SNAPSHOT_PARTITIONS = "spark.databricks.delta.snapshotPartitions";
    /** Delta's own default for {@link #SNAPSHOT_PARTITIONS}, sized for clusters. */
    static final int DELTA_DEFAULT_SNAPSHOT_PARTITIONS = 50;

    private SessionTuning() {
    }

    /**
     * Settings needed before the table is first read: Delta rebuilds table state in 50 partitions by default,
     * which on a small driver (a local child JVM with 2 cores) costs more in task overhead than the work. Uses
     * two per core, at most Delta's default, unless the session already chose.
     */
    public static void beforeInspection(SparkSession spark, ConfScope scope) {
        int partitions = Math.max(1, Math.min(DELTA_DEFAULT_SNAPSHOT_PARTITIONS,
                2 * spark.sparkContext().defaultParallelism()));
        scope.setIfAbsent(SNAPSHOT_PARTITIONS, Integer.toString(partitions));
    }

    public static ShuffleSizing apply(SparkSession spark, ConfScope scope, TableState table) {
        ShuffleSizing sizing = ShuffleSizing.forInput(table.sizeInBytes(), table.numFiles(),
                spark.sparkContext().defaultParallelism());
        scope.set("spark.sql.adaptive.enabled", "true");
        scope.set("spark.sql.adaptive.coalescePartitions.enabled", "true");
        scope.setIfAbsent("spark.sql.adaptive.advisoryPartitionSizeInBytes",
                Long.toString(sizing.advisoryPartitionBytes()));
        scope.set("spark.sql.shuffle.partitions", Integer.toString(sizing.shufflePartitions()));
        // VACUUM lists the table directory with this many tasks; Spark's default of 10,000 is meant for
        // huge tables and costs minutes of task overhead on small ones.
        scope.set("spark.sql.sources.parallelPartitionDiscovery.parallelism",
                Integer.toString(sizing.listingParallelism()));
        LOG.info("{}: {} bytes in {} files: shuffle partitions {}, listing parallelism {}, AQE on", table.uri(),
                table.sizeInBytes(), table.numFiles(), sizing.shufflePartitions(), sizing.listingParallelism());
        return sizing;
    }
}
