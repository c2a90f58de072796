package io.deltaagent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes a synthetic, valid Delta table at scale, reproducibly from a seed: a streaming history of 30-second
 * micro-batches with periodic compactions (tombstones), JSON commits written directly with Jackson, and only
 * the newest checkpoints (a reader uses the newest; see docs/BENCHMARKS.md for what is left out and why).
 * Data files are absent unless {@code --data}. The table is written next to {@code --out} and moved into place
 * when complete; the last stdout line is a JSON summary. Run through {@code scripts/bench-gen}.
 */
@Command(name = "bench-gen", mixinStandardHelpOptions = true,
        description = "Writes a synthetic Delta table for the benchmarks (log only, or with real data files).")
public final class TableGenerator implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "table directory to create (must not exist)")
    Path out;
    @Option(names = "--files", required = true, description = "active files at the latest version")
    int files;
    @Option(names = "--versions", defaultValue = "10005", description = "latest version (commits 0..N are written)")
    int versions;
    @Option(names = "--checkpoint-interval", defaultValue = "10")
    int checkpointInterval;
    @Option(names = "--commits-since-checkpoint", defaultValue = "5",
            description = "commits after the newest checkpoint (rounded up to the interval)")
    int commitsSinceCheckpoint;
    @Option(names = "--checkpoints-kept", defaultValue = "3", description = "newest checkpoints written (0: none)")
    int checkpointsKept;
    @Option(names = "--unpartitioned", description = "no partition column (default: partitioned by date)")
    boolean unpartitioned;
    @Option(names = "--compact-every", defaultValue = "500", description = "an OPTIMIZE commit every N versions (0: none)")
    int compactEvery;
    @Option(names = "--compact-window", defaultValue = "100", description = "micro-batches each OPTIMIZE rewrites")
    int compactWindow;
    @Option(names = "--data", description = "also write the parquet data files (maintenance benchmark)")
    boolean data;
    @Option(names = "--rows-per-file", defaultValue = "1000", description = "rows per data file with --data")
    int rowsPerFile;
    @Option(names = "--seed", defaultValue = "42")
    long seed;
    @Option(names = "--checksums", defaultValue = "ALL", description = "versions with a checksum file N.crc: ALL (as "
            + "delta-spark writes them), NEWEST or NONE")
    GeneratorSettings.Checksums checksums;
    @Option(names = "--end-time", defaultValue = "2026-11-01T00:00:00Z", description = "timestamp of the latest commit")
    Instant endTime;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new TableGenerator());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("bench-gen: " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws IOException {
        GeneratorSettings settings = new GeneratorSettings(out.toAbsolutePath(), files, versions, checkpointInterval,
                commitsSinceCheckpoint, checkpointsKept, !unpartitioned, compactEvery, compactWindow, data,
                rowsPerFile, seed, endTime, checksums);
        if (Files.exists(settings.out())) {
            throw new IllegalArgumentException(settings.out() + ": already exists; remove it or choose another --out");
        }
        long t0 = System.nanoTime();
        Path partial = settings.out().resolveSibling("." + settings.out().getFileName() + ".partial");
        deleteRecursively(partial);
        ObjectNode summary = generate(new SyntheticTable(settings), partial);
        Files.move(partial, settings.out(), StandardCopyOption.ATOMIC_MOVE);
        summary.put("table", settings.out().toString());
        summary.put("seconds", (System.nanoTime() - t0) / 1e9);
        System.out.println(summary);
        return 0;
    }

    static ObjectNode generate(SyntheticTable table, Path root) throws IOException {
        GeneratorSettings s = table.settings;
        HistoryPlan plan = table.plan;
        Path log = root.resolve("_delta_log");
        Files.createDirectories(log);
        CommitWriter commits = new CommitWriter(table, log);
        DataFileWriter dataWriter = s.data() ? new DataFileWriter(table, root) : null;
        SyntheticFile[] written = s.data() ? new SyntheticFile[plan.firstId[plan.latestVersion + 1]] : null;
        long[] batchOf = new long[plan.latestVersion + 1];
        commits.writeCreate();
        ChecksumWriter crcs = new ChecksumWriter(table, log);
        // the running totals the checksum files state: a delta-spark writer knows them after each commit too
        long liveFiles = 0;
        long liveBytes = 0;
        if (s.writesChecksumAt(0)) {
            crcs.write(0, 0, 0, -1);
        }
        long batch = -1;
        int checkpoints = 0;
        for (int v = 1; v <= plan.latestVersion; v++) {
            if (plan.isCompaction(v)) {
                List<SyntheticFile> removed = removedBy(table, v, written);
                List<SyntheticFile> outputs = table.compactionOutputs(v);
                commits.writeCompaction(v, removed, outputs);
                liveFiles += outputs.size() - removed.size();
                liveBytes += bytes(outputs) - bytes(removed);
            } else {
                batch++;
                List<SyntheticFile> adds = new ArrayList<>(plan.addedCount(v));
                for (int id = plan.firstId[v]; id < plan.firstId[v + 1]; id++) {
                    SyntheticFile f = dataWriter == null ? table.appendedFile(id) : dataWriter.write(id);
                    if (written != null) {
                        written[id] = f;
                    }
                    adds.add(f);
                }
                commits.writeAppend(v, batch, adds);
                liveFiles += adds.size();
                liveBytes += bytes(adds);
            }
            if (s.writesChecksumAt(v)) {
                crcs.write(v, liveFiles, liveBytes, batch);
            }
            batchOf[v] = batch;
            if (s.writesCheckpointAt(v)) {
                writeCheckpoint(table, log, v, batchOf[v], written);
                checkpoints++;
            }
        }
        if (liveFiles != plan.activeAt(plan.latestVersion)) {
            throw new IllegalStateException("the checksums count " + liveFiles + " files, the plan "
                    + plan.activeAt(plan.latestVersion));
        }
        int last = s.lastCheckpointVersion();
        ObjectNode summary = new ObjectMapper().createObjectNode();
        summary.put("latestVersion", plan.latestVersion);
        summary.put("activeFiles", plan.activeAt(plan.latestVersion));
        summary.put("tableSizeBytes", liveBytes);
        summary.put("tombstones", plan.tombstonesAt(plan.latestVersion));
        summary.put("partitioned", s.partitioned());
        summary.put("data", s.data());
        summary.put("lastCheckpointVersion", last < 0 ? null : last);
        summary.put("commitsSinceCheckpoint", last < 0 ? plan.latestVersion + 1 : plan.latestVersion - last);
        summary.put("checkpointsWritten", checkpoints);
        summary.put("checksums", s.checksums().name().toLowerCase(java.util.Locale.ROOT));
        summary.put("seed", s.seed());
        return summary;
    }

    private static long bytes(List<SyntheticFile> files) {
        long n = 0;
        for (SyntheticFile f : files) {
            n += f.size();
        }
        return n;
    }

    /** The files compaction {@code version} removes: every file of the micro-batches in its window. */
    private static List<SyntheticFile> removedBy(SyntheticTable table, int version, SyntheticFile[] written) {
        HistoryPlan plan = table.plan;
        List<SyntheticFile> removed = new ArrayList<>(plan.removedTo(version) - plan.removedFrom(version));
        for (int id = plan.removedFrom(version); id < plan.removedTo(version); id++) {
            removed.add(written != null ? written[id] : table.appendedFile(id));
        }
        return removed;
    }

    private static void writeCheckpoint(SyntheticTable table, Path log, int version, long batch, SyntheticFile[] written)
            throws IOException {
        HistoryPlan plan = table.plan;
        boolean[] compacted = new boolean[version + 1];
        List<Integer> compactions = plan.compactionsUpTo(version);
        for (int c : compactions) {
            for (int u = plan.windowStart(c); u < plan.windowEnd(c); u++) {
                compacted[u] = true;
            }
        }
        Path file = log.resolve(String.format("%020d.checkpoint.parquet", version));
        long rows;
        long adds;
        try (CheckpointWriter w = new CheckpointWriter(file, table.commitMillis(version))) {
            w.protocolAndMetadata(table);
            if (batch >= 0) {
                w.txn(table.appId(), batch, table.commitMillis(version));
            }
            for (int u = 1; u <= version; u++) {
                if (plan.isCompaction(u)) {
                    for (SyntheticFile f : table.compactionOutputs(u)) {
                        w.add(f);
                    }
                } else if (!compacted[u]) {
                    for (int id = plan.firstId[u]; id < plan.firstId[u + 1]; id++) {
                        w.add(written != null ? written[id] : table.appendedFile(id));
                    }
                }
            }
            for (int c : compactions) {
                for (SyntheticFile f : removedBy(table, c, written)) {
                    w.remove(f, table.commitMillis(c));
                }
            }
            rows = w.rows();
            adds = w.adds();
        }
        if (version == table.settings.lastCheckpointVersion()) {
            String hint = "{\"version\":" + version + ",\"size\":" + rows + ",\"sizeInBytes\":" + Files.size(file)
                    + ",\"numOfAddFiles\":" + adds + "}";
            Files.writeString(log.resolve("_last_checkpoint"), hint);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
