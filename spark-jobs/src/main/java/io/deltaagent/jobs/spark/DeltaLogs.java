package io.deltaagent.jobs.spark;

import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import scala.Option;

/** Java-friendly calls into Delta's Scala API that need default arguments spelled out. */
public final class DeltaLogs {
    private DeltaLogs() {
    }

    /** The latest snapshot, after listing the log for new commits. */
    public static Snapshot latest(DeltaLog log) {
        return log.update(false, Option.empty(), Option.empty());
    }
}
