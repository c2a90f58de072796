package io.deltaagent.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.standalone.DeltaLog;
import io.delta.standalone.Operation;
import io.delta.standalone.OptimisticTransaction;
import io.delta.standalone.actions.Action;
import io.delta.standalone.actions.AddFile;
import io.delta.standalone.actions.Metadata;
import io.delta.standalone.actions.RemoveFile;
import io.delta.standalone.internal.DeltaLogImpl;
import io.delta.standalone.types.LongType;
import io.delta.standalone.types.StringType;
import io.delta.standalone.types.StructField;
import io.delta.standalone.types.StructType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes a large metadata-only Delta log for the log-read benchmark (issue 8): {@code commits} commits adding
 * {@code files} files in all over {@code partitions} date partitions, one checkpoint, and {@code after} commits
 * after it (the last one removes 100 checkpointed files). No data files are written.
 *
 * <p>Delta Standalone writes version 0 (protocol and metadata), the checkpoint and the commits after it. The bulk
 * commits between are written as the JSON lines Standalone itself writes (commitInfo, then add actions): through
 * Standalone each commit re-reads every earlier commit to find the metadata, which makes a 1,000-commit log a
 * quadratic, hours-long job.
 *
 * <p>{@code java -cp ... io.deltaagent.testing.LargeDeltaLog TABLE FILES [COMMITS=1000] [AFTER=4] [PARTITIONS=100]};
 * prints the ground truth (active files, bytes, tombstones, version) as one JSON line.
 */
public final class LargeDeltaLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LargeDeltaLog() {
    }

    public static void main(String[] args) throws IOException {
        Path table = Paths.get(args[0]).toAbsolutePath();
        long files = Long.parseLong(args[1]);
        int commits = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int after = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int partitions = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        System.out.println(write(table, files, commits, after, partitions));
    }

    /** Sizes spread from 1 KiB to ~256 MiB, deterministic per file number. */
    static long size(long n) {
        long x = n * 0x9E3779B97F4A7C15L;
        x ^= x >>> 29;
        return 1024 + Math.floorMod(x, 256L * 1024 * 1024) / (1 + Math.floorMod(n, 7) * 8);
    }

    static String date(long n, int partitions) {
        return java.time.LocalDate.of(2024, 1, 1).plusDays(n % partitions).toString();
    }

    public static String write(Path table, long files, int commits, int after, int partitions) throws IOException {
        Configuration conf = new Configuration();
        DeltaLog log = DeltaLog.forTable(conf, table.toString());
        long perCommit = files / commits;
        long now = System.currentTimeMillis();
        long next = 0;
        long bytes = 0;
        StructType schema = new StructType(new StructField[] {
            new StructField("id", new LongType()), new StructField("date", new StringType())});
        // version 0 by Standalone: protocol, metadata and the first files; no automatic checkpoint
        OptimisticTransaction txn0 = log.startTransaction();
        txn0.updateMetadata(Metadata.builder().schema(schema).partitionColumns(List.of("date"))
                .configuration(Map.of("delta.checkpointInterval", "1000000")).build());
        List<Action> first = new ArrayList<>();
        List<AddFile> firstAdds = new ArrayList<>();
        for (long i = 0; i < perCommit; i++, next++) {
            AddFile a = add(next, partitions, now);
            first.add(a);
            firstAdds.add(a);
            bytes += a.getSize();
        }
        txn0.commit(first, new Operation(Operation.Name.WRITE), "delta-agent-bench");
        int checkpointVersion = commits - after - 1;
        Path logDir = table.resolve("_delta_log");
        for (int v = 1; v <= checkpointVersion; v++) {
            long n = v == checkpointVersion ? files - after * perCommit - next : perCommit;
            try (BufferedWriter out = Files.newBufferedWriter(logDir.resolve(String.format("%020d.json", v)), StandardCharsets.UTF_8)) {
                ObjectNode info = JSON.createObjectNode();
                info.putObject("commitInfo").put("timestamp", now).put("operation", "WRITE")
                        .put("isBlindAppend", true).put("engineInfo", "delta-agent-bench");
                out.write(JSON.writeValueAsString(info));
                out.write('\n');
                for (long i = 0; i < n; i++, next++) {
                    ObjectNode add = JSON.createObjectNode();
                    ObjectNode a = add.putObject("add");
                    a.put("path", "date=" + date(next, partitions) + "/part-" + next + "-c000.snappy.parquet");
                    a.putObject("partitionValues").put("date", date(next, partitions));
                    a.put("size", size(next)).put("modificationTime", now).put("dataChange", true);
                    bytes += size(next);
                    out.write(JSON.writeValueAsString(add));
                    out.write('\n');
                }
            }
        }
        DeltaLog reopened = DeltaLog.forTable(conf, table.toString());
        ((DeltaLogImpl) reopened).checkpoint();
        long removed = 0;
        long removedBytes = 0;
        for (int c = 0; c < after; c++) {
            OptimisticTransaction txn = reopened.startTransaction();
            List<Action> actions = new ArrayList<>();
            for (long i = 0; i < perCommit; i++, next++) {
                AddFile a = add(next, partitions, now);
                actions.add(a);
                bytes += a.getSize();
            }
            if (c == after - 1) {
                for (AddFile a : firstAdds.subList(0, (int) Math.min(100, firstAdds.size()))) {
                    actions.add(new RemoveFile(a.getPath(), Optional.of(now), true, false, a.getPartitionValues(),
                            Optional.of(a.getSize()), null));
                    removed++;
                    removedBytes += a.getSize();
                    bytes -= a.getSize();
                }
            }
            txn.commit(actions, new Operation(Operation.Name.WRITE), "delta-agent-bench");
        }
        long version = reopened.update().getVersion();
        return String.format("{\"table\":\"%s\",\"version\":%d,\"checkpoint\":%d,\"numFiles\":%d,\"sizeInBytes\":%d,"
                + "\"tombstones\":%d,\"tombstoneBytes\":%d}", table, version, checkpointVersion, next - removed, bytes, removed,
                removedBytes);
    }

    private static AddFile add(long n, int partitions, long now) {
        String date = date(n, partitions);
        return new AddFile("date=" + date + "/part-" + n + "-c000.snappy.parquet", Map.of("date", date), size(n), now, true,
                null, null);
    }
}
