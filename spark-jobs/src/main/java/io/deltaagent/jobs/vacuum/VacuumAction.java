package io.deltaagent.jobs.vacuum;

import static java.util.Objects.requireNonNull;

import io.deltaagent.jobs.error.JobException;
import io.deltaagent.jobs.request.Durations;
import io.deltaagent.jobs.request.VacuumRequest;
import io.deltaagent.jobs.result.VacuumDetails;
import io.deltaagent.jobs.run.ActionOutcome;
import io.deltaagent.jobs.run.MaintenanceAction;
import io.deltaagent.jobs.spark.ConfScope;
import io.deltaagent.jobs.spark.DeltaHistory;
import io.deltaagent.jobs.spark.DeltaLogs;
import io.deltaagent.jobs.spark.SqlIdentifiers;
import io.deltaagent.jobs.table.TableState;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VACUUM with a retention floor. Delta deletes only files that no version within the retention references
 * and whose modification time is older than the retention, so time travel within the retention keeps working.
 *
 * <p>Delta works in whole hours (it rounds), so the retention is rounded up to whole hours first: never shorter
 * than asked. A real run turns on Delta's vacuum logging (VACUUM START/END commits) unless the session set it,
 * and reports the counts Delta recorded there.
 */
public final class VacuumAction implements MaintenanceAction {
    private static final Logger LOG = LoggerFactory.getLogger(VacuumAction.class);
    static final String RETENTION_CHECK = "spark.databricks.delta.retentionDurationCheck.enabled";
    /**
     * delta-spark 4 ignores RETAIN (any value but 0) by default and applies the table's deletedFileRetentionDuration
     * instead; off, VACUUM applies the retention this job was given and checked against the floor. Unknown to 3.3 (a no-op).
     */
    static final String RETENTION_WINDOW_IGNORE = "spark.databricks.delta.vacuum.retentionWindowIgnore.enabled";
    static final String VACUUM_LOGGING = "spark.databricks.delta.vacuum.logging.enabled";

    private final SparkSession spark;
    private final VacuumRequest request;
    private final ConfScope scope;
    private TableState table;
    private Duration floor;

    public VacuumAction(SparkSession spark, VacuumRequest request, ConfScope scope) {
        this.spark = requireNonNull(spark, "spark");
        this.request = requireNonNull(request, "request");
        this.scope = requireNonNull(scope, "scope");
    }

    @Override
    public void validate(TableState state) {
        this.table = requireNonNull(state, "state");
        this.floor = RetentionFloor.check(state.uri(), request.retention(), request.retentionText(),
                state.deletedFileRetention(), request.allowBelowFloor());
    }

    @Override
    public ActionOutcome execute() {
        if (table == null) {
            throw new IllegalStateException("validate() must run before execute()");
        }
        DeltaLog log = DeltaLog.forTable(spark, table.location());
        long before = DeltaLogs.latest(log).version();
        long hours = Durations.ceilHours(request.retention());
        if (request.retention().compareTo(floor) < 0) {
            LOG.warn("{}: vacuum retention {} is below the floor {}: allowed by {}", request.table(),
                    request.retentionText(), Durations.format(floor), RetentionFloor.UNSAFE_FLAG);
            scope.set(RETENTION_CHECK, "false");
        }
        scope.set(RETENTION_WINDOW_IGNORE, "false");
        String sql = "VACUUM " + SqlIdentifiers.deltaPath(table.location()) + " RETAIN " + hours + " HOURS"
                + (request.dryRun() ? " DRY RUN" : "");
        LOG.info("{}: {} from version {}", request.table(), sql, before);
        return request.dryRun() ? dryRun(log, sql, before, hours) : realRun(log, sql, before, hours);
    }

    private ActionOutcome dryRun(DeltaLog log, String sql, long before, long hours) {
        Dataset<Row> eligible = spark.sql(sql);
        List<String> paths = eligible.as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        long bytes;
        try {
            bytes = FileSizes.total(paths, log.newDeltaHadoopConf());
        } catch (IOException e) {
            throw new JobException(request.table() + ": cannot size the files VACUUM would delete: "
                    + e.getMessage(), e);
        }
        boolean truncated = paths.size() > VacuumDetails.FILE_LIST_CAP;
        List<String> listed = truncated ? paths.subList(0, VacuumDetails.FILE_LIST_CAP) : paths;
        VacuumDetails details = new VacuumDetails(true, request.retentionText(), hours, floor.toHours(),
                request.allowBelowFloor(), (long) paths.size(), bytes, null, null, listed, truncated);
        LOG.info("{}: VACUUM DRY RUN: {} files, {} bytes would be deleted", request.table(), paths.size(), bytes);
        long after = Math.max(before, DeltaLogs.latest(log).version());
        return new ActionOutcome(before, after, null, 0L, 0L, 0L, 0L, null, null, details);
    }

    private ActionOutcome realRun(DeltaLog log, String sql, long before, long hours) {
        scope.setIfAbsent(VACUUM_LOGGING, "true");
        spark.sql(sql).collectAsList();
        long after = DeltaLogs.latest(log).version();
        List<DeltaHistory.Commit> commits = DeltaHistory.between(spark, table.location(), before, after);
        Optional<DeltaHistory.Commit> start = DeltaHistory.newest(commits, "VACUUM START");
        Optional<DeltaHistory.Commit> end = DeltaHistory.newest(commits, "VACUUM END");
        Long toDelete = start.flatMap(c -> c.metric("numFilesToDelete")).orElse(null);
        Long bytes = start.flatMap(c -> c.metric("sizeOfDataToDelete")).orElse(null);
        Long deleted = end.flatMap(c -> c.metric("numDeletedFiles")).orElse(null);
        Long directories = end.flatMap(c -> c.metric("numVacuumedDirectories")).orElse(null);
        if (end.isEmpty()) {
            LOG.warn("{}: VACUUM ran but logged no VACUUM END commit ({} is false): file counts are unknown",
                    request.table(), VACUUM_LOGGING);
        }
        VacuumDetails details = new VacuumDetails(false, request.retentionText(), hours, floor.toHours(),
                request.allowBelowFloor(), toDelete, bytes, deleted, directories, null, false);
        LOG.info("{}: VACUUM deleted {} files ({} bytes) in {} directories", request.table(), deleted, bytes,
                directories);
        return new ActionOutcome(before, after, end.map(DeltaHistory.Commit::version).orElse(null),
                deleted, 0L, deleted == null ? null : bytes, 0L, null, null, details);
    }
}
