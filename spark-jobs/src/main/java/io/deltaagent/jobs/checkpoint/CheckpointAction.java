package io.deltaagent.jobs.checkpoint;

import static java.util.Objects.requireNonNull;

import io.deltaagent.jobs.error.JobException;
import io.deltaagent.jobs.request.CheckpointRequest;
import io.deltaagent.jobs.request.Durations;
import io.deltaagent.jobs.result.LogDetails;
import io.deltaagent.jobs.run.ActionOutcome;
import io.deltaagent.jobs.run.MaintenanceAction;
import io.deltaagent.jobs.spark.ConfScope;
import io.deltaagent.jobs.spark.DeltaLogs;
import io.deltaagent.jobs.table.LogDirectory;
import io.deltaagent.jobs.table.LogListing;
import io.deltaagent.jobs.table.TableInspector;
import io.deltaagent.jobs.table.TableState;
import java.io.IOException;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.LastCheckpointInfo;
import org.apache.spark.sql.delta.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * Writes a checkpoint at the latest version, so readers replay at most the commits after it, then lets Delta's
 * own metadata cleanup remove what the table's retention allows: commits and older checkpoints that a newer
 * checkpoint supersedes and whose files are older than the start of the day {@code delta.logRetentionDuration}
 * ago. When the table sets {@code delta.enableExpiredLogCleanup=false}, nothing is deleted and the result says so.
 *
 * <p>Delta 3.3's {@code DeltaLog.checkpoint(snapshot, table)} does both steps (checkpointAndCleanUpDeltaLog); OSS
 * Delta 3.3 has no CHECKPOINT SQL command. Checkpoints commit nothing, so this action never conflicts.
 */
public final class CheckpointAction implements MaintenanceAction {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointAction.class);
    /** Delta swallows checkpoint failures by default (a checkpoint is an optimisation); here it is the job. */
    static final String THROW_ON_CHECKPOINT_FAILURE = "spark.databricks.delta.checkpoint.exceptionThrowing.enabled";

    private final SparkSession spark;
    private final CheckpointRequest request;
    private final ConfScope scope;
    private TableState table;

    public CheckpointAction(SparkSession spark, CheckpointRequest request, ConfScope scope) {
        this.spark = requireNonNull(spark, "spark");
        this.request = requireNonNull(request, "request");
        this.scope = requireNonNull(scope, "scope");
    }

    @Override
    public void validate(TableState state) {
        this.table = requireNonNull(state, "state");
    }

    @Override
    public ActionOutcome execute() {
        if (table == null) {
            throw new IllegalStateException("validate() must run before execute()");
        }
        DeltaLog log = DeltaLog.forTable(spark, table.location());
        Snapshot snapshot = DeltaLogs.latest(log);
        TableState current = TableInspector.stateOf(table.uri(), table.location(), snapshot);
        try {
            FileSystem fs = log.logPath().getFileSystem(log.newDeltaHadoopConf());
            LogListing before = LogDirectory.list(fs, log.logPath());
            LOG.info("{}: checkpoint at version {}; _delta_log/ has {} files, {} bytes", request.table(),
                    snapshot.version(), before.objects(), before.bytes());

            scope.set(THROW_ON_CHECKPOINT_FAILURE, "true");
            log.checkpoint(snapshot, Option.empty());

            Option<LastCheckpointInfo> last = log.readLastCheckpointFile();
            if (last.isEmpty() || last.get().version() < snapshot.version()) {
                throw new JobException(request.table() + ": the checkpoint at version " + snapshot.version()
                        + " is missing after Delta reported success (_last_checkpoint names "
                        + (last.isEmpty() ? "no checkpoint" : "version " + last.get().version()) + ")", null);
            }
            LastCheckpointInfo info = last.get();
            if (current.expiredLogCleanup()) {
                java.util.List<String> compactions = CompactionCleanup.run(fs, log.logPath(),
                        LogDirectory.list(fs, log.logPath()).sizes().keySet());
                if (!compactions.isEmpty()) {
                    LOG.info("{}: deleted {} log compaction file(s) starting before the oldest commit kept: {}",
                            request.table(), compactions.size(), compactions);
                }
            }
            LogListing after = LogDirectory.list(fs, log.logPath());
            Set<String> gone = before.goneIn(after);
            LogDetails details = new LogDetails(before.objects(), before.bytes(), after.objects(), after.bytes(),
                    gone.size(), info.version(), info.parts().isDefined() ? (Integer) info.parts().get() : 1,
                    current.expiredLogCleanup() ? LogDetails.CLEANUP_RAN : LogDetails.CLEANUP_DISABLED,
                    Durations.format(current.logRetention()), Durations.format(current.checkpointRetention()),
                    note(current, gone.size()));
            LOG.info("{}: checkpoint {} written; _delta_log/ {} -> {} files ({} deleted), {} -> {} bytes",
                    request.table(), info.version(), before.objects(), after.objects(), gone.size(), before.bytes(),
                    after.bytes());
            long latest = Math.max(snapshot.version(), DeltaLogs.latest(log).version());
            return new ActionOutcome(snapshot.version(), latest, null, 0L, 0L, 0L, 0L, null, details, null);
        } catch (IOException e) {
            throw new JobException(request.table() + ": cannot list " + log.logPath() + ": " + e.getMessage(), e);
        }
    }

    private static String note(TableState table, int deleted) {
        if (!table.expiredLogCleanup()) {
            return "delta.enableExpiredLogCleanup=false on the table: Delta kept every expired log file. Unset it "
                    + "(or set it to true) to let checkpoint runs remove them.";
        }
        if (deleted == 0) {
            return "no log file had expired: Delta deletes commits and checkpoints only when a newer checkpoint "
                    + "supersedes them and their files are older than the start of the day "
                    + Durations.format(table.logRetention()) + " (delta.logRetentionDuration) ago.";
        }
        return "Delta removed " + deleted + " expired log files (delta.logRetentionDuration="
                + Durations.format(table.logRetention()) + "); delta.checkpointRetentionDuration is reported but "
                + "Delta 3.3 applies delta.logRetentionDuration to old checkpoints as well.";
    }
}
