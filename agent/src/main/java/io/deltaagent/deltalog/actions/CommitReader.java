package io.deltaagent.deltalog.actions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.deltalog.storage.LogStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a newline-delimited JSON log file (a commit, or a v2 JSON checkpoint) action by action. */
public final class CommitReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CommitReader() {
    }

    /** Reads a log file through the audit's store; {@code length} as listed, negative when not known. */
    public static void read(LogStore store, String path, long length, LogActionVisitor visitor) throws IOException {
        try (InputStream in = store.open(path, length)) {
            parse(LogPaths.name(path), in, visitor);
        } catch (FileNotFoundException e) {
            throw missing(path, e);
        }
    }

    /**
     * The whole file, for reading several commits at once and replaying them in order.
     *
     * @param length its length as listed (no HEAD request before the GET), negative when not known
     */
    public static byte[] fetch(LogStore store, String path, long length) throws IOException {
        try (InputStream in = store.open(path, length)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw missing(path, e);
        }
    }

    /**
     * A log file gone or unreadable, whether the store says so at the open or at the first read (S3 with a known
     * length opens without asking): access denied as such, otherwise a corrupt log (thrown).
     */
    private static IOException missing(String path, FileNotFoundException e) {
        String name = LogPaths.name(path);
        // the local file system reports a file it may not read as not found: say which it is
        if (String.valueOf(e.getMessage()).contains("Permission denied")) {
            return LocalAccess.denied("_delta_log/" + name, e);
        }
        throw new CorruptLogException("_delta_log/" + name + " is missing (it was listed a moment ago: "
                + "deleted by a concurrent log cleanup?)", e);
    }

    /** Parses newline-delimited actions; {@code name} is the file's name, for messages. */
    public static void parse(String name, InputStream in, LogActionVisitor visitor) throws IOException {
        // lines are split as bytes: when only the number of adds matters, add and remove lines (nearly all of a
        // large commit) are recognised by their first bytes and never decoded into strings
        boolean details = visitor.wantsFileActionDetails();
        byte[] chunk = new byte[1 << 16];
        byte[] line = new byte[1024];
        int len = 0;
        int lineNo = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = chunk[i];
                if (b != '\n') {
                    if (len == line.length) {
                        line = Arrays.copyOf(line, len * 2);
                    }
                    line[len++] = b;
                    continue;
                }
                line(name, ++lineNo, line, len, details, visitor);
                len = 0;
            }
        }
        if (len > 0) {
            line(name, ++lineNo, line, len, details, visitor);
        }
    }

    private static final byte[] ADD = "{\"add\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REMOVE = "{\"remove\":".getBytes(StandardCharsets.UTF_8);

    private static void line(String name, int lineNo, byte[] bytes, int len, boolean details, LogActionVisitor visitor) {
        if (isBlank(bytes, len)) {
            return;
        }
        // writers emit compact JSON: a line that starts so is one add or remove action
        boolean add = startsWith(bytes, len, ADD);
        boolean fileAction = add || startsWith(bytes, len, REMOVE);
        if (fileAction && !details) {
            if (add) {
                visitor.add(null, null, 0, Map.of());
            }
            return;
        }
        if (fileAction && !visitor.wantsFileActions()) {
            return;
        }
        JsonNode action;
        try {
            if (fileAction && FileActionLine.read(bytes, len, add, visitor)) {
                return;
            }
            action = JSON.readTree(bytes, 0, len);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new CorruptLogException("cannot parse _delta_log/" + name + " line " + lineNo + ": " + why, e);
        }
        if (action == null || !action.isObject()) {
            throw new CorruptLogException("cannot parse _delta_log/" + name + " line " + lineNo
                    + ": expected one JSON action object per line");
        }
        dispatch(action, visitor);
    }

    private static boolean isBlank(byte[] bytes, int len) {
        for (int i = 0; i < len; i++) {
            if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] bytes, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static void dispatch(JsonNode action, LogActionVisitor visitor) {
        JsonNode node;
        if (visitor.wantsFileActions() && (node = action.get("add")) != null) {
            JsonNode dv = node.get("deletionVector");
            boolean hasDv = dv != null && dv.isObject();
            visitor.addFile(node.path("path").asText(), deletionVectorId(dv), node.path("size").asLong(),
                    partitionValues(node.get("partitionValues")), node.path("modificationTime").asLong(),
                    hasDv ? dv.path("cardinality").asLong() : 0, hasDv ? dv.path("sizeInBytes").asLong() : 0);
        } else if (visitor.wantsFileActions() && (node = action.get("remove")) != null) {
            JsonNode ts = node.get("deletionTimestamp");
            JsonNode size = node.get("size");
            JsonNode values = node.get("partitionValues");
            JsonNode dv = node.get("deletionVector");
            boolean hasDv = dv != null && dv.isObject();
            visitor.removeAction(new LogActionVisitor.RemoveAction(node.path("path").asText(), deletionVectorId(dv),
                    size == null || size.isNull() ? null : size.asLong(0), ts == null || ts.isNull() ? null : ts.asLong(),
                    values == null || !values.isObject() ? null : partitionValues(values),
                    hasDv ? dv.path("cardinality").asLong() : 0, hasDv ? dv.path("sizeInBytes").asLong() : 0));
        } else if ((node = action.get("protocol")) != null) {
            visitor.protocol(new ProtocolInfo(node.path("minReaderVersion").asInt(1), node.path("minWriterVersion").asInt(2),
                    strings(node.get("readerFeatures")), strings(node.get("writerFeatures"))));
        } else if ((node = action.get("sidecar")) != null) {
            visitor.sidecar(node.path("path").asText());
        } else if ((node = action.get("metaData")) != null) {
            visitor.metadata(new TableMetadata(node.path("id").asText(null), strings(node.get("partitionColumns")),
                    partitionValues(node.get("configuration")), node.path("schemaString").asText(null)));
        } else if ((node = action.get("domainMetadata")) != null) {
            visitor.domainMetadata(node.path("domain").asText(), node.path("configuration").asText(null),
                    node.path("removed").asBoolean(false));
        } else if ((node = action.get("checkpointMetadata")) != null) {
            visitor.checkpointMetadata(node.path("version").asLong(-1));
        } else if ((node = action.get("commitInfo")) != null) {
            JsonNode ts = node.get("timestamp");
            JsonNode op = node.get("operation");
            visitor.commitInfo(ts == null || ts.isNull() ? null : ts.asLong(), op == null ? null : op.asText());
            JsonNode ict = node.get("inCommitTimestamp");
            if (ict != null && ict.canConvertToLong()) {
                visitor.inCommitTimestamp(ict.asLong());
            }
        }
    }

    private static String deletionVectorId(JsonNode dv) {
        if (dv == null || dv.isNull() || !dv.isObject()) {
            return null;
        }
        JsonNode offset = dv.get("offset");
        return DeletionVectorIds.of(dv.path("storageType").asText(), dv.path("pathOrInlineDv").asText(),
                offset == null || offset.isNull() ? null : offset.asInt());
    }

    private static Map<String, String> partitionValues(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            values.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        return values;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
