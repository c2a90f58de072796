package io.deltaagent.testing;

import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.RemoveFile;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes Delta tables with Delta Standalone, the second real engine of the tests. Data files are not
 * written (the audit measures the log): sizes are whatever the commit says.
 */
public final class StandaloneTables {

    private StandaloneTables() {
    }

    /** Summary of what was committed: the ground truth for the audit. */
    public record Written(long files, long bytes, long removed, long removedBytes, long version) {
    }

    /**
     * {@code commits} commits of {@code filesPerCommit} files of {@code fileSize} bytes, partitioned by
     * {@code date} over {@code dates} values when {@code dates > 0}; then {@code removeFirst} files removed.
     */
    public static Written write(Path table, int commits, int filesPerCommit, long fileSize, int dates, int removeFirst) {
        Configuration conf = new Configuration();
        DeltaLog log = DeltaLog.forTable(conf, table.toString());
        List<String> partitionColumns = dates > 0 ? List.of("date") : List.of();
        StructType schema = new StructType(new StructField[] {
            new StructField("id", new LongType()), new StructField("date", new StringType())});
        List<AddFile> all = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int c = 0; c < commits; c++) {
            OptimisticTransaction txn = log.startTransaction();
            if (c == 0) {
                txn.updateMetadata(Metadata.builder().schema(schema).partitionColumns(partitionColumns)
                        .configuration(Map.of("delta.checkpointInterval", "5")).build());
            }
            List<Action> actions = new ArrayList<>();
            for (int f = 0; f < filesPerCommit; f++) {
                Map<String, String> pv = dates > 0 ? Map.of("date", "2024-02-0" + (1 + (f % dates))) : Map.of();
                String prefix = dates > 0 ? "date=" + pv.get("date") + "/" : "";
                AddFile add = new AddFile(prefix + "part-" + c + "-" + f + ".parquet", pv, fileSize + f, now, true, null, null);
                actions.add(add);
                all.add(add);
            }
            txn.commit(actions, new Operation(Operation.Name.WRITE), "delta-agent-tests");
        }
        long removedBytes = 0;
        if (removeFirst > 0) {
            OptimisticTransaction txn = log.startTransaction();
            List<Action> removes = new ArrayList<>();
            for (int i = 0; i < removeFirst; i++) {
                AddFile a = all.get(i);
                removes.add(new RemoveFile(a.getPath(), Optional.of(now), true, false, a.getPartitionValues(),
                        Optional.of(a.getSize()), null));
                removedBytes += a.getSize();
            }
            txn.commit(removes, new Operation(Operation.Name.DELETE), "delta-agent-tests");
        }
        long bytes = all.stream().mapToLong(AddFile::getSize).sum() - removedBytes;
        return new Written(all.size() - removeFirst, bytes, removeFirst, removedBytes, log.update().getVersion());
    }
}
