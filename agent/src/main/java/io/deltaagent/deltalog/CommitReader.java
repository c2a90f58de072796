package io.deltaagent.deltalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads a newline-delimited JSON log file (a commit, or a v2 JSON checkpoint) action by action. */
public final class CommitReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CommitReader() {
    }

    public static void read(FileSystem fs, Path file, LogActionVisitor visitor) throws IOException {
        String name = file.getName();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (!visitor.wantsFileActionDetails()) {
                    // writers emit compact JSON: a line that starts so is one add or remove action
                    if (line.startsWith("{\"add\":")) {
                        visitor.add(null, null, 0, Map.of());
                        continue;
                    }
                    if (line.startsWith("{\"remove\":")) {
                        continue;
                    }
                }
                JsonNode action;
                try {
                    action = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new CorruptLogException("cannot parse _delta_log/" + name + " line " + lineNo + ": "
                            + e.getOriginalMessage(), e);
                }
                if (action == null || !action.isObject()) {
                    throw new CorruptLogException("cannot parse _delta_log/" + name + " line " + lineNo
                            + ": expected one JSON action object per line");
                }
                dispatch(action, visitor);
            }
        } catch (FileNotFoundException e) {
            throw new CorruptLogException("_delta_log/" + name + " is missing (it was listed a moment ago: "
                    + "deleted by a concurrent log cleanup?)", e);
        }
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
            visitor.remove(node.path("path").asText(), deletionVectorId(node.get("deletionVector")), node.path("size").asLong(0),
                    ts == null || ts.isNull() ? null : ts.asLong());
        } else if ((node = action.get("protocol")) != null) {
            visitor.protocol(new ProtocolInfo(node.path("minReaderVersion").asInt(1), node.path("minWriterVersion").asInt(2),
                    strings(node.get("readerFeatures")), strings(node.get("writerFeatures"))));
        } else if ((node = action.get("sidecar")) != null) {
            visitor.sidecar(node.path("path").asText());
        } else if ((node = action.get("metaData")) != null) {
            visitor.metadata(new TableMetadata(node.path("id").asText(null), strings(node.get("partitionColumns")),
                    partitionValues(node.get("configuration")), node.path("schemaString").asText(null)));
        } else if ((node = action.get("checkpointMetadata")) != null) {
            visitor.checkpointMetadata(node.path("version").asLong(-1));
        } else if ((node = action.get("commitInfo")) != null) {
            JsonNode ts = node.get("timestamp");
            JsonNode op = node.get("operation");
            visitor.commitInfo(ts == null || ts.isNull() ? null : ts.asLong(), op == null ? null : op.asText());
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
