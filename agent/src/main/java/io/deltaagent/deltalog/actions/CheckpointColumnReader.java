package io.deltaagent.deltalog.actions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads only the columns it needs from a Parquet checkpoint part (or v2 checkpoint sidecar), for the sparse actions
 * asked for: {@code remove} (path, size, deletionTimestamp, deletionVector), the {@code protocol} struct,
 * {@code metaData} (id, partitionColumns, configuration, schemaString), {@code sidecar.path},
 * {@code checkpointMetadata.version} and {@code domainMetadata}. The add actions' columns, by far the largest, are
 * never decoded here: one pass with every sparse action an audit needs, so a part is opened once for them.
 */
public final class CheckpointColumnReader {

    /** The sparse actions of a checkpoint part, with the fields read of each. */
    static final Map<String, List<String>> FIELDS = Map.of(
            "remove", List.of("path", "size", "deletionTimestamp", "deletionVector"),
            "protocol", List.of(),
            "metaData", List.of("id", "partitionColumns", "configuration", "schemaString"),
            "sidecar", List.of("path"),
            "checkpointMetadata", List.of("version"),
            "domainMetadata", List.of("domain", "configuration", "removed"));

    /** Every sparse action: what one pass over a checkpoint's top-level parts reads. */
    public static final Set<String> ALL = FIELDS.keySet();

    private CheckpointColumnReader() {
    }

    /**
     * @param actions which of {@link #FIELDS} to read (the others are not decoded)
     * @param path the part's full path (for messages)
     * @param object where it is read from
     */
    public static void read(String path, ParquetObject object, Set<String> actions, LogActionVisitor visitor) {
        String display = "_delta_log/" + (path.contains("/_sidecars/") ? "_sidecars/" : "") + path.substring(path.lastIndexOf('/') + 1);
        SparseActionReader.read(object, display, schema -> project(schema, actions),
                (name, action) -> visit(name, action, visitor));
    }

    private static List<GroupType> project(MessageType fileSchema, Set<String> actions) {
        List<GroupType> fields = new ArrayList<>();
        // in a fixed order, whatever the set's: the handler sees a row's actions in the same order every time
        for (String action : List.of("remove", "protocol", "metaData", "sidecar", "checkpointMetadata", "domainMetadata")) {
            if (!actions.contains(action) || !isGroup(fileSchema, action)) {
                continue;
            }
            GroupType group = fileSchema.getType(action).asGroupType();
            List<String> wanted = FIELDS.get(action);
            if (wanted.isEmpty()) {
                fields.add(group);
                continue;
            }
            List<Type> kept = new ArrayList<>();
            for (String f : wanted) {
                if (group.containsField(f)) {
                    kept.add(group.getType(f));
                }
            }
            if (!kept.isEmpty()) {
                fields.add(group.withNewFields(kept));
            }
        }
        return fields;
    }

    static boolean isGroup(MessageType schema, String field) {
        return schema.containsField(field) && !schema.getType(field).isPrimitive();
    }

    private static void visit(String name, Group action, LogActionVisitor visitor) {
        switch (name) {
            case "remove" -> {
                if (has(action, "path")) {
                    visitor.remove(action.getString("path", 0), deletionVectorId(action), longOrZero(action, "size"),
                            has(action, "deletionTimestamp") ? action.getLong("deletionTimestamp", 0) : null);
                }
            }
            case "sidecar" -> {
                if (has(action, "path")) {
                    visitor.sidecar(action.getString("path", 0));
                }
            }
            case "metaData" -> visitor.metadata(new TableMetadata(
                    has(action, "id") ? action.getString("id", 0) : null,
                    list(action, "partitionColumns"),
                    map(action, "configuration"),
                    has(action, "schemaString") ? action.getString("schemaString", 0) : null));
            case "checkpointMetadata" -> {
                if (has(action, "version")) {
                    visitor.checkpointMetadata(action.getLong("version", 0));
                }
            }
            case "domainMetadata" -> {
                if (has(action, "domain")) {
                    visitor.domainMetadata(action.getString("domain", 0),
                            has(action, "configuration") ? action.getString("configuration", 0) : null,
                            has(action, "removed") && action.getBoolean("removed", 0));
                }
            }
            case "protocol" -> visitor.protocol(new ProtocolInfo(
                    has(action, "minReaderVersion") ? action.getInteger("minReaderVersion", 0) : 1,
                    has(action, "minWriterVersion") ? action.getInteger("minWriterVersion", 0) : 2,
                    list(action, "readerFeatures"), list(action, "writerFeatures")));
            default -> {
            }
        }
    }

    private static String deletionVectorId(Group action) {
        if (!has(action, "deletionVector")) {
            return null;
        }
        Group dv = action.getGroup("deletionVector", 0);
        return DeletionVectorIds.of(has(dv, "storageType") ? dv.getString("storageType", 0) : "",
                has(dv, "pathOrInlineDv") ? dv.getString("pathOrInlineDv", 0) : "",
                has(dv, "offset") ? dv.getInteger("offset", 0) : null);
    }

    /** A Parquet MAP of strings: {@code repeated group key_value {key; value}} (the repeated group's name varies). */
    private static Map<String, String> map(Group g, String field) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!has(g, field)) {
            return out;
        }
        Group map = g.getGroup(field, 0);
        for (int i = 0, n = map.getFieldRepetitionCount(0); i < n; i++) {
            Group entry = map.getGroup(0, i);
            out.put(entry.getString(0, 0), entry.getFieldRepetitionCount(1) > 0 ? entry.getString(1, 0) : null);
        }
        return out;
    }

    static boolean has(Group g, String field) {
        return g.getType().containsField(field) && g.getFieldRepetitionCount(field) > 0;
    }

    private static long longOrZero(Group g, String field) {
        return has(g, field) ? g.getLong(field, 0) : 0L;
    }

    /** Reads a list of strings in either the 3-level (list.element) or the legacy 2-level Parquet layout. */
    static List<String> list(Group g, String field) {
        List<String> out = new ArrayList<>();
        if (!has(g, field)) {
            return out;
        }
        Group list = g.getGroup(field, 0);
        int n = list.getFieldRepetitionCount(0);
        boolean threeLevel = !list.getType().getType(0).isPrimitive();
        for (int i = 0; i < n; i++) {
            if (threeLevel) {
                Group element = list.getGroup(0, i);
                if (element.getFieldRepetitionCount(0) > 0) {
                    out.add(element.getString(0, 0));
                }
            } else {
                out.add(list.getString(0, i));
            }
        }
        return out;
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
