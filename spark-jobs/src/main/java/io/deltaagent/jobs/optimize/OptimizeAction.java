package io.deltaagent.jobs.optimize;

import static java.util.Objects.requireNonNull;

import io.delta.tables.DeltaOptimizeBuilder;
import io.delta.tables.DeltaTable;
import io.deltaagent.jobs.request.OptimizeRequest;
import io.deltaagent.jobs.run.ActionOutcome;
import io.deltaagent.jobs.run.MaintenanceAction;
import io.deltaagent.jobs.spark.ConfScope;
import io.deltaagent.jobs.spark.DeltaHistory;
import io.deltaagent.jobs.spark.DeltaLogs;
import io.deltaagent.jobs.table.TableState;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPTIMIZE through Delta's DeltaTable API: bin-packing compaction, or Z-ordering when columns are given,
 * optionally limited to the partitions a predicate selects. Counts come from the metrics OPTIMIZE returns;
 * the commit versions from the table's history.
 *
 * <p>The sizes come from the request, set for this run only (delta-spark 3.3's OptimizeExecutor reads them per
 * command): bin-packing takes the files strictly below {@code optimize.minFileSize} (and files with deletion vectors
 * past their purge ratio), groups them per partition in size order into bins while a bin stays within
 * {@code optimize.maxFileSize}, drops bins of a single file, and writes each bin as one file. Z-order ignores the
 * minimum: it rewrites every file of the selected partitions into files of about the maximum. With
 * {@code optimize.batchSize} the bins are committed in batches of about that many bytes, one commit each.
 */
public final class OptimizeAction implements MaintenanceAction {
    private static final Logger LOG = LoggerFactory.getLogger(OptimizeAction.class);
    static final String OPERATION = "OPTIMIZE";

    static final String MIN_FILE_SIZE = "spark.databricks.delta.optimize.minFileSize";
    static final String MAX_FILE_SIZE = "spark.databricks.delta.optimize.maxFileSize";
    static final String BATCH_SIZE = "spark.databricks.delta.optimize.batchSize";

    private final SparkSession spark;
    private final OptimizeRequest request;
    private final ConfScope scope;
    private TableState table;

    public OptimizeAction(SparkSession spark, OptimizeRequest request, ConfScope scope) {
        this.spark = requireNonNull(spark, "spark");
        this.request = requireNonNull(request, "request");
        this.scope = requireNonNull(scope, "scope");
    }

    @Override
    public void validate(TableState state) {
        this.table = requireNonNull(state, "state");
        if (request.where() != null) {
            List<String> references = new PredicateParser(spark).references(state.uri(), request.where());
            OptimizeRules.checkWhere(state, request.where(), references);
        }
        OptimizeRules.checkZOrder(state, request.zOrderBy());
    }

    @Override
    public ActionOutcome execute() {
        if (table == null) {
            throw new IllegalStateException("validate() must run before execute()");
        }
        OptimizeRequest.FileSizes sizes = request.sizes();
        if (sizes != null) {
            setIfGiven(MIN_FILE_SIZE, sizes.minFileSize());
            setIfGiven(MAX_FILE_SIZE, sizes.maxFileSize());
            setIfGiven(BATCH_SIZE, sizes.maxBytesPerCommit());
        }
        DeltaLog log = DeltaLog.forTable(spark, table.location());
        long before = DeltaLogs.latest(log).version();
        LOG.info("{}: OPTIMIZE{}{} from version {}{}", table.uri(),
                request.where() == null ? "" : " WHERE " + request.where(),
                request.zOrder() ? " ZORDER BY " + request.zOrderBy() : "", before,
                sizes == null ? "" : " (min file size " + sizes.minFileSize() + ", max " + sizes.maxFileSize()
                        + ", bytes per commit " + sizes.maxBytesPerCommit() + ")");

        DeltaOptimizeBuilder builder = DeltaTable.forPath(spark, table.location()).optimize();
        if (request.where() != null) {
            builder = builder.where(request.where());
        }
        Dataset<Row> result = request.zOrder()
                ? builder.executeZOrderBy(request.zOrderBy().toArray(new String[0]))
                : builder.executeCompaction();
        Row row = result.head();
        Row metrics = row.getStruct(row.fieldIndex("metrics"));

        long filesRemoved = longField(metrics, "numFilesRemoved");
        long filesAdded = longField(metrics, "numFilesAdded");
        long bytesRemoved = longField(metrics.getStruct(metrics.fieldIndex("filesRemoved")), "totalSize");
        long bytesAdded = longField(metrics.getStruct(metrics.fieldIndex("filesAdded")), "totalSize");
        long partitions = longField(metrics, "partitionsOptimized");

        long after = DeltaLogs.latest(log).version();
        List<Long> commits = filesRemoved == 0 && filesAdded == 0 ? List.of()
                : DeltaHistory.between(spark, table.location(), before, after).stream()
                        .filter(c -> OPERATION.equals(c.operation())).map(DeltaHistory.Commit::version).sorted().toList();
        Long commitVersion = commits.isEmpty() ? null : commits.get(commits.size() - 1);
        return new ActionOutcome(before, after, commitVersion, filesRemoved, filesAdded, bytesRemoved, bytesAdded,
                partitions, null, null, commits);
    }

    private void setIfGiven(String key, Long bytes) {
        if (bytes != null) {
            scope.set(key, Long.toString(bytes));
        }
    }

    private static long longField(Row row, String name) {
        int index = row.fieldIndex(name);
        if (row.isNullAt(index)) {
            return 0;
        }
        return ((Number) row.get(index)).longValue();
    }
}
