package io.deltaagent.jobs.table;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.jobs.error.JobException;
import io.deltaagent.jobs.error.TableNotFoundException;
import io.deltaagent.jobs.spark.DeltaLogs;
import io.deltaagent.jobs.spark.Scala;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaConfigs;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.delta.skipping.clustering.ClusteredTableUtils$;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.CalendarInterval;

/** Reads a table's latest snapshot into a {@link TableState}, or explains why there is no Delta table at the URI. */
public final class TableInspector {
    private final SparkSession spark;

    public TableInspector(SparkSession spark) {
        this.spark = requireNonNull(spark, "spark");
    }

    /**
     * @throws TableNotFoundException when the path does not exist or holds no Delta commits
     * @throws JobException when the storage cannot be read
     */
    public TableState inspect(String uri) {
        Path path = new Path(uri);
        Configuration conf = spark.sessionState().newHadoopConf();
        String location;
        try {
            FileSystem fs = path.getFileSystem(conf);
            Path qualified = fs.makeQualified(path);
            location = qualified.toString();
            FileStatus status;
            try {
                status = fs.getFileStatus(qualified);
            } catch (java.io.FileNotFoundException e) {
                throw new TableNotFoundException(uri + ": the table path does not exist (" + location
                        + "). Check the URI; the job never creates tables.");
            }
            if (!status.isDirectory()) {
                throw new TableNotFoundException(uri + ": not a Delta table: the path is a file, not a table "
                        + "directory. Pass the table's root directory (the one holding _delta_log/).");
            }
        } catch (IOException e) {
            throw new JobException(uri + ": cannot read the table path: " + e.getMessage(), e);
        }
        DeltaLog log;
        Snapshot snapshot;
        try {
            log = DeltaLog.forTable(spark, location); // loads the snapshot already
            snapshot = DeltaLogs.latest(log);
        } catch (org.apache.spark.sql.delta.DeltaUnsupportedTableFeatureException e) {
            throw ProtocolGuard.refused(uri, e); // a reader feature this runtime lacks: said without a stack trace
        }
        if (snapshot.version() < 0) {
            throw new TableNotFoundException(uri + ": not a Delta table: no commits under " + log.logPath()
                    + ". Pass the root directory of a Delta table.");
        }
        // before any work: a writer feature this runtime lacks would otherwise fail only at commit, after the rewrite
        ProtocolGuard.check(uri, snapshot.protocol());
        return stateOf(uri, location, snapshot);
    }

    /** The state of an already loaded snapshot. */
    public static TableState stateOf(String uri, String location, Snapshot snapshot) {
        Metadata metadata = snapshot.metadata();
        List<String> partitionColumns = Scala.list(metadata.partitionColumns());
        List<String> columns = new ArrayList<>();
        addColumns("", metadata.schema(), columns);
        return new TableState(
                uri,
                location,
                snapshot.version(),
                partitionColumns,
                columns,
                snapshot.sizeInBytes(),
                snapshot.numOfFiles(),
                interval(DeltaConfigs.LOG_RETENTION().fromMetaData(metadata)),
                interval(DeltaConfigs.TOMBSTONE_RETENTION().fromMetaData(metadata)),
                interval(DeltaConfigs.CHECKPOINT_RETENTION_DURATION().fromMetaData(metadata)),
                (Boolean) DeltaConfigs.ENABLE_EXPIRED_LOG_CLEANUP().fromMetaData(metadata),
                clusteringColumns(snapshot));
    }

    /**
     * Liquid clustering columns, from the {@code delta.clustering} domain metadata as Delta itself reads it
     * ({@code clusteringColumns} as a JSON list of name paths, logical names).
     */
    static List<String> clusteringColumns(Snapshot snapshot) {
        scala.Option<scala.Tuple2<String, String>> property = ClusteredTableUtils$.MODULE$.getClusteringColumnsAsProperty(snapshot);
        if (property.isEmpty()) {
            return List.of();
        }
        List<String> columns = new ArrayList<>();
        try {
            JsonNode paths = new ObjectMapper().readTree(property.get()._2());
            for (JsonNode path : paths) {
                List<String> parts = new ArrayList<>();
                if (path.isArray()) {
                    path.forEach(part -> parts.add(part.asText()));
                } else {
                    parts.add(path.asText());
                }
                columns.add(String.join(".", parts));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new JobException("cannot read the table's clustering columns '" + property.get()._2() + "': " + e.getMessage(), e);
        }
        return columns;
    }

    private static Duration interval(CalendarInterval interval) {
        return Duration.ofMillis(DeltaConfigs.getMilliSeconds(interval));
    }

    private static void addColumns(String prefix, StructType struct, List<String> into) {
        for (StructField field : struct.fields()) {
            String name = prefix + field.name();
            into.add(name);
            if (field.dataType() instanceof StructType nested) {
                addColumns(name + ".", nested, into);
            }
        }
    }
}
