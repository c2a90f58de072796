package io.deltaagent.deltalog.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.deltalog.actions.CommitReader;
import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.actions.LogActionVisitor;
import io.deltaagent.deltalog.segment.CommitFile;
import io.deltaagent.deltalog.storage.LogStore;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * What the history needs of one commit, read from the commit's head where that is enough: a range read of its first
 * {@code head} bytes, extended while the commitInfo line runs past them. The history needs the exact number of adds
 * only of a commit of the last day (files added in 24 h); of an older one only whether it added any (the last write),
 * which an add line in the head shows (and of an old OPTIMIZE, which is no write, nothing). A commit of the last day
 * is taken from its head where its commitInfo's metrics count its add actions exactly (Spark's, below). Anything else
 * (a small commit, a commitInfo not among the head's lines, no add line in an old commit's head, no exact metric) is
 * read whole and its adds counted, as before. The figures are the same either way; the bytes are not. An old commit's
 * summary then holds a lower bound of its adds: a commit older than a day never counts again, whatever day a later
 * re-audit reads.
 */
final class CommitHeads {

    /** Bytes of a commit read first: Spark's commitInfo lines are a few hundred bytes to a few KB. */
    static final int HEAD = 16 * 1024;

    /**
     * Operations whose commitInfo metric counts exactly the add actions of the commit: Spark's appends and overwrites
     * ({@code numFiles}, the files written) and OPTIMIZE ({@code numAddedFiles}). Others (MERGE, UPDATE, DELETE with
     * deletion vectors re-add files their metrics do not count) are read whole.
     */
    private static final Map<String, String> ADDS_METRIC = Map.of(
            "WRITE", "numFiles",
            "STREAMING UPDATE", "numAddedFiles",
            "CREATE TABLE AS SELECT", "numFiles",
            "REPLACE TABLE AS SELECT", "numFiles",
            "CREATE OR REPLACE TABLE AS SELECT", "numFiles",
            "OPTIMIZE", "numAddedFiles");

    private static final Set<String> STREAMING = Set.of("STREAMING UPDATE");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] COMMIT_INFO = "{\"commitInfo\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ADD = "{\"add\":".getBytes(StandardCharsets.UTF_8);

    private CommitHeads() {
    }

    /**
     * @param head the bytes read first (tests make it small to reach the extension and fallback paths)
     * @param since the start of the history's last day (epoch millis): commits before it need no exact count of adds
     */
    static CommitSummary summarise(LogStore store, CommitFile commit, int head, long since) throws IOException {
        String name = commit.path().substring(commit.path().lastIndexOf('/') + 1);
        if (commit.bytes() >= 0 && commit.bytes() > head) {
            try {
                CommitSummary fromHead = fromHead(store, commit, name, head, since);
                if (fromHead != null) {
                    return fromHead;
                }
            } catch (FileNotFoundException e) {
                throw gone(name, e);
            }
        }
        return whole(store, commit, name);
    }

    /** Null when the head cannot tell (no commitInfo line among its lines, or no exact count of adds). */
    private static CommitSummary fromHead(LogStore store, CommitFile commit, String name, int head, long since)
            throws IOException {
        int length = head;
        while (true) {
            byte[] bytes = store.readRange(commit.path(), commit.bytes(), 0, length);
            boolean whole = bytes.length >= commit.bytes();
            int start = 0;
            while (start < bytes.length) {
                int end = indexOf(bytes, (byte) '\n', start);
                if (end < 0 && !whole) {
                    if (!startsWith(bytes, start, COMMIT_INFO) || length >= commit.bytes()) {
                        return null; // the commitInfo is not in the head (another writer's order): read it whole
                    }
                    length = (int) Math.min(commit.bytes(), (long) length * 4); // a long commitInfo line: read further
                    break;
                }
                int lineEnd = end < 0 ? bytes.length : end;
                if (startsWith(bytes, start, COMMIT_INFO)) {
                    return summary(commit, name, bytes, start, lineEnd, since);
                }
                start = lineEnd + 1;
            }
            if (start >= bytes.length) {
                return null; // every line of the head read, none a commitInfo
            }
        }
    }

    private static CommitSummary summary(CommitFile commit, String name, byte[] bytes, int from, int to, long since) {
        JsonNode info;
        try {
            info = JSON.readTree(bytes, from, to - from).get("commitInfo");
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new CorruptLogException("cannot parse _delta_log/" + name + " line with commitInfo: " + why, e);
        }
        if (info == null || !info.isObject()) {
            return null;
        }
        String operation = info.hasNonNull("operation") ? info.get("operation").asText() : null;
        JsonNode ts = info.get("timestamp");
        JsonNode ict = info.get("inCommitTimestamp");
        Long timestamp = ts == null || ts.isNull() ? null : ts.asLong();
        Long inCommit = ict != null && ict.canConvertToLong() ? ict.asLong() : null;
        // the history dates a commit by its modification time, or (in-commit timestamps) by no later than its own
        // timestamps: below the later of them, it is older than the day
        long latest = Math.max(commit.modifiedMillis(), inCommit != null ? inCommit : timestamp != null ? timestamp
                : commit.modifiedMillis());
        if (latest < since) {
            // an old OPTIMIZE's adds count nowhere (it is not a write): the head is enough whatever it shows
            long adds = countAdds(bytes, to + 1);
            return adds > 0 || "OPTIMIZE".equals(operation)
                    ? new CommitSummary(commit.version(), timestamp, operation, adds, inCommit) : null;
        }
        String metric = operation == null ? null : ADDS_METRIC.get(operation);
        JsonNode count = metric == null ? null : info.path("operationMetrics").get(metric);
        if (count == null || !count.isValueNode() || !count.asText().matches("\\d+")) {
            return null;
        }
        if (STREAMING.contains(operation) && info.path("operationMetrics").has("numRemovedFiles")
                && !"0".equals(info.path("operationMetrics").path("numRemovedFiles").asText())) {
            return null; // a streaming complete-mode rewrite: count its adds from the file
        }
        return new CommitSummary(commit.version(), timestamp, operation, Long.parseLong(count.asText()), inCommit);
    }

    /** The add lines among the complete lines from {@code from} on (a lower bound of the commit's adds). */
    private static long countAdds(byte[] bytes, int from) {
        long adds = 0;
        int start = from;
        while (start < bytes.length) {
            int end = indexOf(bytes, (byte) '\n', start);
            if (end < 0) {
                break; // a partial line: not counted
            }
            if (startsWith(bytes, start, ADD)) {
                adds++;
            }
            start = end + 1;
        }
        return adds;
    }

    private static CommitSummary whole(LogStore store, CommitFile commit, String name) throws IOException {
        byte[] data;
        try {
            data = readWhole(store, commit);
        } catch (FileNotFoundException e) {
            throw gone(name, e);
        }
        CommitSummary.Collector collector = new CommitSummary.Collector(new LogActionVisitor() {
            @Override
            public boolean wantsFileActions() {
                return false;
            }
        });
        CommitReader.parse(name, new ByteArrayInputStream(data), collector);
        return collector.summary(commit.version());
    }

    /**
     * The commit's bytes in one GET. Of a known length, as one range read: on S3 that skips the input stream whose
     * open and close (IO statistics merged per stream) JFR put at a tenth of a 1,000-table daemon cycle's CPU.
     */
    private static byte[] readWhole(LogStore store, CommitFile commit) throws IOException {
        if (commit.bytes() >= 0 && commit.bytes() <= MAX_RANGE) {
            return store.readRange(commit.path(), commit.bytes(), 0, (int) commit.bytes());
        }
        try (InputStream in = store.open(commit.path(), commit.bytes())) {
            return in.readAllBytes();
        }
    }

    /** Larger commits (or of unknown length) are streamed: a byte array cannot hold more. */
    private static final long MAX_RANGE = Integer.MAX_VALUE - 16;

    private static CorruptLogException gone(String name, FileNotFoundException e) {
        return new CorruptLogException("_delta_log/" + name + " is missing (it was listed a moment ago: "
                + "deleted by a concurrent log cleanup?)", e);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        if (bytes.length - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
