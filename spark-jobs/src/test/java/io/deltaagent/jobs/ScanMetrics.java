package io.deltaagent.jobs;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.collection.Iterator;

/** Files a query actually read, from the scan node's own metric after the query ran. */
public final class ScanMetrics {
    private ScanMetrics() {
    }

    /** Runs {@code query} and returns the files its file scans read (after Delta's data skipping). */
    public static long filesRead(Dataset<Row> query) {
        query.collectAsList();
        SparkPlan plan = query.queryExecution().executedPlan();
        if (plan instanceof AdaptiveSparkPlanExec adaptive) {
            plan = adaptive.executedPlan();
        }
        long files = 0;
        boolean found = false;
        Iterator<SparkPlan> nodes = plan.collectLeaves().iterator();
        while (nodes.hasNext()) {
            SparkPlan node = nodes.next();
            if (node instanceof FileSourceScanExec scan) {
                SQLMetric metric = scan.metrics().get("numFiles").get();
                files += metric.value();
                found = true;
            }
        }
        if (!found) {
            throw new IllegalStateException("no file scan in " + plan.treeString());
        }
        return files;
    }
}
