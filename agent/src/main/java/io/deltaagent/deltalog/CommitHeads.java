package io.deltaagent.deltalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code head} bytes, extended while the commitInfo line runs past them. Spark writes commitInfo as the first line and
 * counts the files it added in {@code operationMetrics}; where the commit is small, the commitInfo is not among the
 * head's lines (another writer), or its metrics do not say how many add actions follow, the whole commit is read and
 * its adds counted, as before. The figures are the same either way; the bytes are not.
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

    private CommitHeads() {
    }

    static CommitSummary summarise(LogStore store, CommitFile commit) throws IOException {
        return summarise(store, commit, HEAD);
    }

    /** @param head the bytes read first (tests make it small to reach the extension and fallback paths) */
    static CommitSummary summarise(LogStore store, CommitFile commit, int head) throws IOException {
        String name = commit.path().substring(commit.path().lastIndexOf('/') + 1);
        if (commit.bytes() >= 0 && commit.bytes() > head) {
            try {
                CommitSummary fromHead = fromHead(store, commit, name, head);
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
    private static CommitSummary fromHead(LogStore store, CommitFile commit, String name, int head) throws IOException {
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
                    return summary(commit, name, bytes, start, lineEnd);
                }
                start = lineEnd + 1;
            }
            if (start >= bytes.length) {
                return null; // every line of the head read, none a commitInfo
            }
        }
    }

    private static CommitSummary summary(CommitFile commit, String name, byte[] bytes, int from, int to) {
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
        String metric = operation == null ? null : ADDS_METRIC.get(operation);
        JsonNode count = metric == null ? null : info.path("operationMetrics").get(metric);
        if (count == null || !count.isValueNode() || !count.asText().matches("\\d+")) {
            return null;
        }
        if (STREAMING.contains(operation) && info.path("operationMetrics").has("numRemovedFiles")
                && !"0".equals(info.path("operationMetrics").path("numRemovedFiles").asText())) {
            return null; // a streaming complete-mode rewrite: count its adds from the file
        }
        JsonNode ts = info.get("timestamp");
        JsonNode ict = info.get("inCommitTimestamp");
        return new CommitSummary(commit.version(), ts == null || ts.isNull() ? null : ts.asLong(), operation,
                Long.parseLong(count.asText()), ict != null && ict.canConvertToLong() ? ict.asLong() : null);
    }

    private static CommitSummary whole(LogStore store, CommitFile commit, String name) throws IOException {
        byte[] data;
        try (InputStream in = store.open(commit.path(), commit.bytes())) {
            data = in.readAllBytes();
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
