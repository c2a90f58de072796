package io.deltaagent.deltalog.actions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Streams one {@code add} or {@code remove} line of a commit into a visitor without building a JSON tree: the fields
 * the agent reads are taken as they pass, the rest (the stats string, tags) skipped undecoded. Such lines are nearly
 * all of a large commit; a thousand commits after a checkpoint hold about 100 MB of them.
 */
final class FileActionLine {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> SCALARS = Set.of("path", "size", "modificationTime", "deletionTimestamp");

    private FileActionLine() {
    }

    /**
     * @param add true for a line that starts {@code {"add":}, false for {@code {"remove":}
     * @return false, having called nothing, when the line is not one action object of scalar fields as writers emit
     *         it: the caller then reads it the general way
     * @throws IOException when the line is not JSON
     */
    static boolean read(byte[] bytes, int len, boolean add, LogActionVisitor visitor) throws IOException {
        Fields f = new Fields();
        try (JsonParser p = JSON.createParser(bytes, 0, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (SCALARS.contains(name) && !value.isScalarValue()) {
                    return false;
                }
                switch (name) {
                    case "path" -> f.path = value == JsonToken.VALUE_NULL ? "null" : p.getValueAsString();
                    case "size" -> {
                        f.size = p.getValueAsLong(0);
                        f.hasSize = value != JsonToken.VALUE_NULL;
                    }
                    case "modificationTime" -> f.modificationTime = p.getValueAsLong(0);
                    case "deletionTimestamp" -> f.deletionTimestamp = value == JsonToken.VALUE_NULL ? null : p.getValueAsLong(0);
                    case "partitionValues" -> {
                        if (!partitionValues(p, value, f)) {
                            return false;
                        }
                    }
                    case "deletionVector" -> {
                        if (!deletionVector(p, value, f)) {
                            return false;
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return false;
            }
        }
        String path = f.path == null ? "" : f.path;
        String dvId = f.hasDv ? DeletionVectorIds.of(f.dvStorageType, f.dvPath, f.dvOffset) : null;
        if (add) {
            visitor.addFile(path, dvId, f.size, f.partitionValues, f.modificationTime, f.hasDv ? f.dvCardinality : 0,
                    f.hasDv ? f.dvBytes : 0);
        } else {
            visitor.removeAction(new LogActionVisitor.RemoveAction(path, dvId, f.hasSize ? f.size : null, f.deletionTimestamp,
                    f.hasPartitionValues ? f.partitionValues : null, f.hasDv ? f.dvCardinality : 0, f.hasDv ? f.dvBytes : 0));
        }
        return true;
    }

    /** What one action's fields say; defaults are what the general reader gives a missing field. */
    private static final class Fields {
        String path;
        long size;
        boolean hasSize;
        boolean hasPartitionValues;
        long modificationTime;
        Long deletionTimestamp;
        Map<String, String> partitionValues = Map.of();
        boolean hasDv;
        String dvStorageType = "";
        String dvPath = "";
        Integer dvOffset;
        long dvCardinality;
        long dvBytes;
    }

    private static boolean partitionValues(JsonParser p, JsonToken t, Fields f) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return true;
        }
        if (t != JsonToken.START_OBJECT) {
            return false;
        }
        f.hasPartitionValues = true;
        Map<String, String> values = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (!v.isScalarValue()) {
                return false;
            }
            values.put(key, v == JsonToken.VALUE_NULL ? null : p.getValueAsString());
        }
        f.partitionValues = values.isEmpty() ? Map.of() : values;
        return true;
    }

    private static boolean deletionVector(JsonParser p, JsonToken t, Fields f) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return true;
        }
        if (t != JsonToken.START_OBJECT) {
            return false;
        }
        f.hasDv = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (!v.isScalarValue()) {
                return false;
            }
            switch (name) {
                case "storageType" -> f.dvStorageType = v == JsonToken.VALUE_NULL ? "null" : p.getValueAsString();
                case "pathOrInlineDv" -> f.dvPath = v == JsonToken.VALUE_NULL ? "null" : p.getValueAsString();
                case "offset" -> f.dvOffset = v == JsonToken.VALUE_NULL ? null : p.getValueAsInt(0);
                case "cardinality" -> f.dvCardinality = p.getValueAsLong(0);
                case "sizeInBytes" -> f.dvBytes = p.getValueAsLong(0);
                default -> {
                }
            }
        }
        return true;
    }
}
