package io.deltaagent.jobs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import org.apache.spark.sql.SparkSession;

/** The Spark session the benchmark mains start cold (local master from -Dspark.master, default local[2]). */
final class BenchSession {

    private BenchSession() {
    }

    static SparkSession start(String appName) {
        return SparkSession.builder()
                .master(System.getProperty("spark.master", "local[2]"))
                .appName(appName)
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    /** The sum of each heap pool's peak usage (an upper bound of the peak heap). */
    static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    static String quote(String table) {
        return "delta.`" + table.replace("`", "``") + "`";
    }
}
