package io.deltaagent.jobs.optimize;

import static java.util.Objects.requireNonNull;

import io.delta.tables.DeltaOptimizeBuilder;
import io.delta.tables.DeltaTable;
import io.deltaagent.jobs.request.OptimizeRequest;
import io.deltaagent.jobs.run.ActionOutcome;
import io.deltaagent.jobs.run.MaintenanceAction;
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
 * the commit version from the table's history.
 */
public final class OptimizeAction implements MaintenanceAction {
    private static final Logger LOG = LoggerFactory.getLogger(OptimizeAction.class);
    static final String OPERATION = "OPTIMIZE";

    private final SparkSession spark;
    private final OptimizeRequest request;
    private TableState table;

    public OptimizeAction(SparkSession spark, OptimizeRequest request) {
        this.spark = requireNonNull(spark, "spark");
        this.request = requireNonNull(request, "request");
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
        DeltaLog log = DeltaLog.forTable(spark, table.location());
        long before = DeltaLogs.latest(log).version();
        LOG.info("{}: OPTIMIZE{}{} from version {}", table.uri(),
                request.where() == null ? "" : " WHERE " + request.where(),
                request.zOrder() ? " ZORDER BY " + request.zOrderBy() : "", before);

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
        Long commitVersion = filesRemoved == 0 && filesAdded == 0 ? null
                : DeltaHistory.newest(DeltaHistory.between(spark, table.location(), before, after), OPERATION)
                        .map(DeltaHistory.Commit::version).orElse(null);
        return new ActionOutcome(before, after, commitVersion, filesRemoved, filesAdded, bytesRemoved, bytesAdded,
                partitions, null, null);
    }

    private static long longField(Row row, String name) {
        int index = row.fieldIndex(name);
        if (row.isNullAt(index)) {
            return 0;
        }
        return ((Number) row.get(index)).longValue();
    }
}
