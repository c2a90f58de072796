package io.deltaagent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.io.LocalInputFile;

/**
 * Issue 26's byte budget for one audit of a local table (the same files bench-audit --s3 links into its bucket):
 * the column chunks of the newest checkpoint that the projected reader needs (from the Parquet footers) plus the
 * footers themselves, plus every commit after the checkpoint, plus 5 MB (5,000,000 bytes) for the listing and
 * everything else. Prints one JSON object.
 *
 * <p>The needed columns mirror the reader's projections (CheckpointAddReader, CheckpointColumnReader,
 * CheckpointHeaderReader, ClusteringColumns); {@code add.path} is counted although the reader skips it when no later
 * commit touches a checkpointed file: the budget is a ceiling, not a prediction. Sidecars (v2 checkpoints) are refused.
 *
 * <pre>java -cp ... io.deltaagent.bench.ByteBudget TABLE_DIR</pre>
 */
public final class ByteBudget {

    /** Column paths (dotted, prefixes) the audit reads from a checkpoint. */
    static final List<String> NEEDED = List.of(
            "add.path", "add.size", "add.modificationTime", "add.partitionValues", "add.deletionVector",
            "remove.path", "remove.size", "remove.deletionTimestamp", "remove.deletionVector",
            "protocol", "metaData.id", "metaData.partitionColumns", "metaData.configuration", "metaData.schemaString",
            "sidecar.path", "checkpointMetadata", "domainMetadata");
    static final long SLACK_BYTES = 5_000_000;

    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
    private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint(\\..+)?\\.parquet");

    /** The budget and its parts, in bytes. */
    record Budget(long checkpointVersion, int checkpointParts, long checkpointBytes, long neededColumnBytes,
                  long addPathBytes, long footerBytes, int tailCommits, long tailCommitBytes) {

        long budgetBytes() {
            return neededColumnBytes + footerBytes + tailCommitBytes + SLACK_BYTES;
        }

        ObjectNode toJson(ObjectMapper json) {
            ObjectNode n = json.createObjectNode();
            n.put("checkpointVersion", checkpointVersion).put("checkpointParts", checkpointParts)
                    .put("checkpointBytes", checkpointBytes).put("neededColumnBytes", neededColumnBytes).put("addPathBytes", addPathBytes)
                    .put("footerBytes", footerBytes).put("tailCommits", tailCommits).put("tailCommitBytes", tailCommitBytes)
                    .put("slackBytes", SLACK_BYTES).put("budgetBytes", budgetBytes());
            NEEDED.forEach(n.putArray("columns")::add);
            return n;
        }
    }

    private ByteBudget() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ByteBudget TABLE_DIR");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        try {
            System.out.println(json.writeValueAsString(of(Path.of(args[0])).toJson(json)));
        } catch (IllegalArgumentException e) {
            System.err.println("ByteBudget: " + e.getMessage());
            System.exit(1);
        }
    }

    static Budget of(Path table) throws IOException {
        Path log = table.resolve("_delta_log");
        if (!Files.isDirectory(log)) {
            throw new IllegalArgumentException(table + " has no _delta_log directory");
        }
        if (Files.isDirectory(log.resolve("_sidecars"))) {
            throw new IllegalArgumentException(table + ": v2 checkpoints with sidecars are not budgeted");
        }
        long version = checkpointVersion(log);
        List<Path> parts = new ArrayList<>();
        long tailBytes = 0;
        int tail = 0;
        try (Stream<Path> files = Files.list(log)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String name = f.getFileName().toString();
                Matcher c = CHECKPOINT.matcher(name);
                Matcher j = COMMIT.matcher(name);
                if (c.matches() && Long.parseLong(c.group(1)) == version) {
                    parts.add(f);
                } else if (j.matches() && Long.parseLong(j.group(1)) > version) {
                    tail++;
                    tailBytes += Files.size(f);
                }
            }
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException(log + " has no checkpoint file of version " + version);
        }
        long size = 0;
        long needed = 0;
        long addPath = 0;
        long footers = 0;
        for (Path part : parts) {
            size += Files.size(part);
            footers += footerBytes(part);
            try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(part))) {
                for (BlockMetaData block : reader.getFooter().getBlocks()) {
                    for (ColumnChunkMetaData column : block.getColumns()) {
                        String dotted = column.getPath().toDotString();
                        if (needed(dotted)) {
                            needed += column.getTotalSize();
                        }
                        if (dotted.equals("add.path")) {
                            addPath += column.getTotalSize();
                        }
                    }
                }
            }
        }
        return new Budget(version, parts.size(), size, needed, addPath, footers, tail, tailBytes);
    }

    static boolean needed(String dotted) {
        for (String prefix : NEEDED) {
            if (dotted.equals(prefix) || dotted.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    /** {@code _last_checkpoint}'s version, else the newest checkpoint file's. */
    private static long checkpointVersion(Path log) throws IOException {
        Path hint = log.resolve("_last_checkpoint");
        if (Files.isRegularFile(hint)) {
            JsonNode n = new ObjectMapper().readTree(hint.toFile());
            if (n.path("version").isNumber()) {
                return n.path("version").asLong();
            }
        }
        long newest = -1;
        try (Stream<Path> files = Files.list(log)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher c = CHECKPOINT.matcher(f.getFileName().toString());
                if (c.matches()) {
                    newest = Math.max(newest, Long.parseLong(c.group(1)));
                }
            }
        }
        if (newest < 0) {
            throw new IllegalArgumentException(log + " has no checkpoint: the budget is defined for a checkpointed table");
        }
        return newest;
    }

    /** The footer a reader fetches: its length field says how long, plus the 8-byte tail (length and magic). */
    private static long footerBytes(Path part) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(part.toFile(), "r")) {
            f.seek(f.length() - 8);
            int len = Integer.reverseBytes(f.readInt());
            return len + 8L;
        }
    }

    /** Decimal megabytes, or kB below 0.1 MB (a tiny table's budget parts would all read 0.0 MB). */
    static String mb(long bytes) {
        return bytes < 100_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
