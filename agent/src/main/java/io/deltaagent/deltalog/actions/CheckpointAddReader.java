package io.deltaagent.deltalog.actions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Streams the add actions of a Parquet checkpoint part or v2 sidecar (a plan over {@link ParquetActionReader}, the
 * engine the sparse actions are read with too), reading only the columns the audit needs:
 * {@code add.path} (only when asked for), {@code size}, {@code modificationTime}, {@code partitionValues} and the
 * deletion vector's id, size and cardinality. Values go straight from Parquet's converters into one reused row;
 * dictionary-encoded strings (partition values) are decoded once per dictionary, not once per file. Nothing is kept
 * between rows.
 */
public final class CheckpointAddReader {

    /**
     * Receives each add row; {@code path} (null when not read) is only valid during the call, {@code partitionValues}
     * is keyed by partition column and reused for the next row.
     */
    public interface Sink {
        void add(Binary path, String deletionVectorId, long size, Map<String, String> partitionValues, long modificationTime,
                 long dvCardinality, long dvBytes);
    }

    private static final List<String> ADD_FIELDS = List.of("path", "size", "modificationTime", "partitionValues",
            "deletionVector");
    private static final List<String> REQUIRED = List.of("size", "partitionValues");
    private static final List<String> DV_FIELDS = List.of("storageType", "pathOrInlineDv", "offset", "sizeInBytes",
            "cardinality");

    private CheckpointAddReader() {
    }

    /**
     * @param object where the part or sidecar is read from
     * @param addRequired whether a file without an {@code add} column is corrupt (a classic or multi-part checkpoint
     *                    part, a sidecar); a v2 checkpoint's top-level file may keep its adds in sidecars only
     * @param wantPaths whether {@code add.path} is decoded (needed only to reconcile with later commits)
     * @param keyToColumn partition-value key (physical name under column mapping) to partition column
     * @return the add rows read; -1 when the file has no add column (and need not have one)
     */
    public static long read(ParquetObject object, String display, boolean addRequired, boolean wantPaths,
                            Map<String, String> keyToColumn, Sink sink) {
        Materializer[] materializer = new Materializer[1];
        ParquetActionReader.read(object, display, new ParquetActionReader.Plan() {
            @Override
            public MessageType project(MessageType fileSchema) {
                if (!fileSchema.containsField("add") || fileSchema.getType("add").isPrimitive()) {
                    if (addRequired) {
                        throw noAddColumn(display);
                    }
                    return null;
                }
                return CheckpointAddReader.project(fileSchema, display, wantPaths);
            }

            @Override
            public FilterCompat.Filter rows(MessageType projection) {
                return FilterCompat.NOOP; // nearly every row of a part is an add
            }

            @Override
            public RecordMaterializer<Void> materializer(MessageType projection) {
                materializer[0] = new Materializer(projection.getType("add").asGroupType(), keyToColumn, sink);
                return materializer[0];
            }
        });
        return materializer[0] == null ? -1 : materializer[0].add.rows;
    }

    /** A classic or multi-part checkpoint part, or a sidecar, without the add column every one must have. */
    public static CorruptLogException noAddColumn(String display) {
        return new CorruptLogException("checkpoint " + display + " has no add column: it cannot hold the table's files "
                + "(the Delta protocol requires one in every checkpoint part and sidecar)");
    }

    private static MessageType project(MessageType fileSchema, String display, boolean wantPaths) {
        GroupType add = fileSchema.getType("add").asGroupType();
        for (String f : REQUIRED) {
            if (!add.containsField(f)) {
                throw new CorruptLogException("checkpoint " + display + " has no add." + f + " column, which the Delta "
                        + "protocol requires");
            }
        }
        if (wantPaths && !add.containsField("path")) {
            throw new CorruptLogException("checkpoint " + display + " has no add.path column, which the Delta protocol requires");
        }
        List<Type> kept = new ArrayList<>();
        for (String f : ADD_FIELDS) {
            if (!add.containsField(f) || (f.equals("path") && !wantPaths)) {
                continue;
            }
            Type t = add.getType(f);
            if (f.equals("deletionVector") && !t.isPrimitive()) {
                GroupType dv = t.asGroupType();
                List<Type> dvKept = new ArrayList<>();
                for (String d : DV_FIELDS) {
                    if (dv.containsField(d)) {
                        dvKept.add(dv.getType(d));
                    }
                }
                t = dv.withNewFields(dvKept);
            }
            kept.add(t);
        }
        return new MessageType(fileSchema.getName(), add.withNewFields(kept));
    }

    private static final class Materializer extends RecordMaterializer<Void> {
        final AddConverter add;
        private final GroupConverter root;

        Materializer(GroupType addType, Map<String, String> keyToColumn, Sink sink) {
            this.add = new AddConverter(addType, keyToColumn, sink);
            this.root = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return add;
                }

                @Override
                public void start() {
                }

                @Override
                public void end() {
                }
            };
        }

        @Override
        public Void getCurrentRecord() {
            return null;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }

    /** One add row; start() and end() come only for rows whose add is set. */
    private static final class AddConverter extends GroupConverter {
        private final Converter[] fields;
        private final Sink sink;
        private final Map<String, String> partitionValues = new HashMap<>();
        long rows;
        Binary path;
        long size;
        long modificationTime;
        boolean hasDv;
        String dvStorageType;
        String dvPath;
        Integer dvOffset;
        long dvBytes;
        long dvCardinality;

        AddConverter(GroupType type, Map<String, String> keyToColumn, Sink sink) {
            this.sink = sink;
            fields = new Converter[type.getFieldCount()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = switch (type.getFieldName(i)) {
                    case "path" -> new BinaryConverter(v -> path = v);
                    case "size" -> new LongConverter(v -> size = v);
                    case "modificationTime" -> new LongConverter(v -> modificationTime = v);
                    case "partitionValues" -> new MapConverter(keyToColumn, partitionValues);
                    case "deletionVector" -> new DeletionVectorConverter(type.getType(i).asGroupType(), this);
                    default -> throw new IllegalStateException("unexpected projected field " + type.getFieldName(i));
                };
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return fields[fieldIndex];
        }

        @Override
        public void start() {
            path = null;
            size = 0;
            modificationTime = 0;
            partitionValues.clear();
            hasDv = false;
            dvStorageType = null;
            dvPath = null;
            dvOffset = null;
            dvBytes = 0;
            dvCardinality = 0;
        }

        @Override
        public void end() {
            rows++;
            String dvId = hasDv ? DeletionVectorIds.of(dvStorageType == null ? "" : dvStorageType, dvPath == null ? "" : dvPath,
                    dvOffset) : null;
            sink.add(path, dvId, size, partitionValues, modificationTime, dvCardinality, dvBytes);
        }
    }

    private static final class DeletionVectorConverter extends GroupConverter {
        private final Converter[] fields;
        private final AddConverter row;

        DeletionVectorConverter(GroupType type, AddConverter row) {
            this.row = row;
            fields = new Converter[type.getFieldCount()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = switch (type.getFieldName(i)) {
                    case "storageType" -> new StringConverter(v -> row.dvStorageType = v);
                    case "pathOrInlineDv" -> new StringConverter(v -> row.dvPath = v);
                    case "offset" -> new LongConverter(v -> row.dvOffset = (int) v);
                    case "sizeInBytes" -> new LongConverter(v -> row.dvBytes = v);
                    case "cardinality" -> new LongConverter(v -> row.dvCardinality = v);
                    default -> throw new IllegalStateException("unexpected projected field " + type.getFieldName(i));
                };
            }
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return fields[fieldIndex];
        }

        @Override
        public void start() {
            row.hasDv = true;
        }

        @Override
        public void end() {
        }
    }

    /** {@code partitionValues}: MAP of strings, keeping the entries whose key names a partition column. */
    private static final class MapConverter extends GroupConverter {
        private final GroupConverter entry;

        MapConverter(Map<String, String> keyToColumn, Map<String, String> out) {
            String[] kv = new String[2];
            Converter key = new StringConverter(v -> kv[0] = v);
            Converter value = new StringConverter(v -> kv[1] = v);
            entry = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return fieldIndex == 0 ? key : value;
                }

                @Override
                public void start() {
                    kv[0] = null;
                    kv[1] = null;
                }

                @Override
                public void end() {
                    String column = keyToColumn.get(kv[0]);
                    if (column != null) {
                        out.put(column, kv[1]);
                    }
                }
            };
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return entry;
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    }

    private interface StringTarget {
        void accept(String value);
    }

    private interface LongTarget {
        void accept(long value);
    }

    /** Raw bytes, left undecoded: the path is compared as bytes and decoded only when a later commit touched it. */
    private static final class BinaryConverter extends PrimitiveConverter {
        private final java.util.function.Consumer<Binary> target;
        private Dictionary dictionary;

        BinaryConverter(java.util.function.Consumer<Binary> target) {
            this.target = target;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary dict) {
            dictionary = dict;
        }

        @Override
        public void addValueFromDictionary(int dictionaryId) {
            target.accept(dictionary.decodeToBinary(dictionaryId));
        }

        @Override
        public void addBinary(Binary value) {
            target.accept(value);
        }
    }

    /** UTF-8 strings; a dictionary page is decoded once, its entries then handed out by id. */
    private static final class StringConverter extends PrimitiveConverter {
        private final StringTarget target;
        private String[] dictionary;

        StringConverter(StringTarget target) {
            this.target = target;
        }

        @Override
        public boolean hasDictionarySupport() {
            return true;
        }

        @Override
        public void setDictionary(Dictionary dict) {
            dictionary = new String[dict.getMaxId() + 1];
            for (int i = 0; i < dictionary.length; i++) {
                dictionary[i] = dict.decodeToBinary(i).toStringUsingUTF8();
            }
        }

        @Override
        public void addValueFromDictionary(int dictionaryId) {
            target.accept(dictionary[dictionaryId]);
        }

        @Override
        public void addBinary(Binary value) {
            target.accept(value.toStringUsingUTF8());
        }
    }

    private static final class LongConverter extends PrimitiveConverter {
        private final LongTarget target;

        LongConverter(LongTarget target) {
            this.target = target;
        }

        @Override
        public void addLong(long value) {
            target.accept(value);
        }

        @Override
        public void addInt(int value) {
            target.accept(value);
        }
    }
}
