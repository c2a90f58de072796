package io.deltaagent.deltalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads only the columns it needs from a Parquet checkpoint part (or v2 checkpoint sidecar):
 * {@code remove.path}, {@code remove.size}, {@code remove.deletionTimestamp}, the {@code protocol} struct and
 * {@code sidecar.path}. The add actions' columns, by far
 * the largest, are never decoded.
 */
public final class CheckpointColumnReader {

    private static final List<String> REMOVE_FIELDS = List.of("path", "size", "deletionTimestamp", "deletionVector");

    private CheckpointColumnReader() {
    }

    public static void read(Configuration conf, Path part, boolean wantRemoves, LogActionVisitor visitor) throws IOException {
        String display = "_delta_log/" + part.getName();
        SparseActionReader.read(conf, part, display, schema -> project(schema, wantRemoves), (name, action) -> visit(name, action, visitor));
    }

    private static List<GroupType> project(MessageType fileSchema, boolean wantRemoves) {
        List<GroupType> fields = new ArrayList<>();
        if (wantRemoves && isGroup(fileSchema, "remove")) {
            GroupType remove = fileSchema.getType("remove").asGroupType();
            List<Type> kept = new ArrayList<>();
            for (String f : REMOVE_FIELDS) {
                if (remove.containsField(f)) {
                    kept.add(remove.getType(f));
                }
            }
            if (!kept.isEmpty()) {
                fields.add(remove.withNewFields(kept));
            }
        }
        if (isGroup(fileSchema, "protocol")) {
            fields.add(fileSchema.getType("protocol").asGroupType());
        }
        if (isGroup(fileSchema, "sidecar")) {
            GroupType sidecar = fileSchema.getType("sidecar").asGroupType();
            if (sidecar.containsField("path")) {
                fields.add(sidecar.withNewFields(List.of(sidecar.getType("path"))));
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

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
