package io.deltaagent.deltalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads the few non-file actions of a Parquet checkpoint part that the projected reader needs: {@code metaData},
 * {@code sidecar.path} and {@code checkpointMetadata.version}.
 */
final class CheckpointHeaderReader {

    private static final Map<String, List<String>> WANTED = Map.of(
            "metaData", List.of("id", "partitionColumns", "configuration", "schemaString"),
            "sidecar", List.of("path"),
            "checkpointMetadata", List.of("version"));

    private CheckpointHeaderReader() {
    }

    static void read(Configuration conf, Path file, String display, LogActionVisitor visitor) {
        SparseActionReader.read(conf, file, display, CheckpointHeaderReader::project, (name, action) -> visit(name, action, visitor));
    }

    private static List<GroupType> project(MessageType schema) {
        List<GroupType> out = new ArrayList<>();
        for (String action : List.of("metaData", "sidecar", "checkpointMetadata")) {
            if (!CheckpointColumnReader.isGroup(schema, action)) {
                continue;
            }
            GroupType group = schema.getType(action).asGroupType();
            List<Type> kept = new ArrayList<>();
            for (String f : WANTED.get(action)) {
                if (group.containsField(f)) {
                    kept.add(group.getType(f));
                }
            }
            if (!kept.isEmpty()) {
                out.add(group.withNewFields(kept));
            }
        }
        return out;
    }

    private static void visit(String name, Group a, LogActionVisitor visitor) {
        switch (name) {
            case "metaData" -> visitor.metadata(new TableMetadata(
                    CheckpointColumnReader.has(a, "id") ? a.getString("id", 0) : null,
                    CheckpointColumnReader.list(a, "partitionColumns"),
                    map(a, "configuration"),
                    CheckpointColumnReader.has(a, "schemaString") ? a.getString("schemaString", 0) : null));
            case "sidecar" -> {
                if (CheckpointColumnReader.has(a, "path")) {
                    visitor.sidecar(a.getString("path", 0));
                }
            }
            case "checkpointMetadata" -> {
                if (CheckpointColumnReader.has(a, "version")) {
                    visitor.checkpointMetadata(a.getLong("version", 0));
                }
            }
            default -> {
            }
        }
    }

    /** A Parquet MAP of strings: {@code repeated group key_value {key; value}} (the repeated group's name varies). */
    private static Map<String, String> map(Group g, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!CheckpointColumnReader.has(g, field)) {
            return out;
        }
        Group map = g.getGroup(field, 0);
        for (int i = 0, n = map.getFieldRepetitionCount(0); i < n; i++) {
            Group entry = map.getGroup(0, i);
            out.put(entry.getString(0, 0), entry.getFieldRepetitionCount(1) > 0 ? entry.getString(1, 0) : null);
        }
        return out;
    }
}
