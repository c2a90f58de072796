package io.deltaagent.deltalog.actions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table's metaData action: what the projected reader needs of it.
 *
 * @param configuration the table properties (values may be null)
 * @param schemaString the schema as JSON, read only to map partition columns to their physical names
 */
public record TableMetadata(String id, List<String> partitionColumns, Map<String, String> configuration, String schemaString) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public TableMetadata {
        partitionColumns = List.copyOf(partitionColumns);
        configuration = Collections.unmodifiableMap(new LinkedHashMap<>(configuration));
    }

    /** Table properties without null values (as Delta Standalone and Kernel report them). */
    public Map<String, String> properties() {
        Map<String, String> out = new LinkedHashMap<>();
        configuration.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Partition-value key ({@link #partitionValueKeys()}) to partition column. */
    public Map<String, String> partitionKeyToColumn() {
        List<String> keys = partitionValueKeys();
        Map<String, String> keyToColumn = new HashMap<>();
        for (int i = 0; i < partitionColumns.size(); i++) {
            keyToColumn.put(keys.get(i), partitionColumns.get(i));
        }
        return keyToColumn;
    }

    /** A file's partition values re-keyed by partition column; keys that name no partition column are dropped. */
    public static Map<String, String> byColumn(Map<String, String> values, Map<String, String> keyToColumn) {
        Map<String, String> out = new HashMap<>();
        values.forEach((k, v) -> {
            String column = keyToColumn.get(k);
            if (column != null) {
                out.put(column, v);
            }
        });
        return out;
    }

    /**
     * The key each partition column has in {@code add.partitionValues}, in partition-column order: its physical
     * name under column mapping ({@code delta.columnMapping.mode} name or id), its own name otherwise.
     *
     * @throws CorruptLogException when column mapping is on and the schema does not name a partition column
     */
    public List<String> partitionValueKeys() {
        String mode = configuration.getOrDefault("delta.columnMapping.mode", "none");
        if (partitionColumns.isEmpty() || mode == null || mode.equalsIgnoreCase("none")) {
            return partitionColumns;
        }
        JsonNode fields;
        try {
            fields = JSON.readTree(schemaString == null ? "{}" : schemaString).path("fields");
        } catch (JsonProcessingException e) {
            throw new CorruptLogException("cannot parse the table schema (metaData.schemaString): " + e.getOriginalMessage(), e);
        }
        List<String> keys = new ArrayList<>();
        for (String column : partitionColumns) {
            String physical = null;
            for (JsonNode field : fields) {
                if (field.path("name").asText().toLowerCase(Locale.ROOT).equals(column.toLowerCase(Locale.ROOT))) {
                    physical = field.path("metadata").path("delta.columnMapping.physicalName").asText(null);
                }
            }
            if (physical == null) {
                throw new CorruptLogException("column mapping is on (" + mode + ") but the schema gives partition column '"
                        + column + "' no delta.columnMapping.physicalName");
            }
            keys.add(physical);
        }
        return keys;
    }
}
