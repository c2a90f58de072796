package io.deltaagent.deltalog.actions;

import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Reads actions that few rows of a Parquet checkpoint carry (remove, protocol, metaData, sidecar, ...): row groups
 * and pages without any are skipped by their statistics, and a record is assembled only for an action that is set,
 * so the million add rows of a large checkpoint cost no objects.
 */
final class SparseActionReader {

    /** Receives each action that is set, as a record of its projected fields. */
    interface Handler {
        void action(String name, Group value);
    }

    /** Chooses the projection from the file's schema: the action columns to read, or an empty list to skip the file. */
    interface Projection {
        List<GroupType> project(MessageType fileSchema);
    }

    /** The field each action must have, by the Delta protocol. */
    private static final Map<String, String> KEYS = Map.of("remove", "path", "protocol", "minReaderVersion",
            "metaData", "id", "sidecar", "path", "checkpointMetadata", "version", "domainMetadata", "domain");

    private SparseActionReader() {
    }

    /**
     * Reads the file through one stream ({@link ParquetActionReader}): the footer, then the row groups with any wanted
     * action set.
     *
     * @param object where the file is read from
     * @param display the file as messages name it, e.g. {@code _delta_log/00000000000000000010.checkpoint.parquet}
     */
    static void read(ParquetObject object, String display, Projection projection, Handler handler) {
        ParquetActionReader.read(object, display, new ParquetActionReader.Plan() {
            @Override
            public MessageType project(MessageType fileSchema) {
                List<GroupType> actions = projection.project(fileSchema);
                return actions.isEmpty() ? null : new MessageType(fileSchema.getName(), List.copyOf(actions));
            }

            @Override
            public FilterCompat.Filter rows(MessageType requested) {
                return anyActionSet(groups(requested));
            }

            @Override
            public RecordMaterializer<Void> materializer(MessageType requested) {
                return new Materializer(groups(requested), handler);
            }
        });
    }

    private static List<GroupType> groups(MessageType requested) {
        return requested.getFields().stream().map(Type::asGroupType).toList();
    }

    /**
     * Rows where some action is set, judged by a field every such action has (the protocol requires it): Parquet
     * then skips row groups and pages where all are null (statistics, column indexes) and assembles no other row.
     * Without such a field for every action, every row is read.
     */
    private static FilterCompat.Filter anyActionSet(List<GroupType> actions) {
        FilterPredicate any = null;
        for (GroupType action : actions) {
            String key = KEYS.get(action.getName());
            if (key == null || !action.containsField(key) || !action.getType(key).isPrimitive()
                    || action.getType(key).isRepetition(Type.Repetition.REPEATED)) {
                return FilterCompat.NOOP;
            }
            String column = action.getName() + "." + key;
            FilterPredicate set = switch (action.getType(key).asPrimitiveType().getPrimitiveTypeName()) {
                case INT32 -> FilterApi.notEq(FilterApi.intColumn(column), null);
                case INT64 -> FilterApi.notEq(FilterApi.longColumn(column), null);
                case BINARY -> FilterApi.notEq(FilterApi.binaryColumn(column), null);
                default -> null;
            };
            if (set == null) {
                return FilterCompat.NOOP;
            }
            any = any == null ? set : FilterApi.or(any, set);
        }
        return any == null ? FilterCompat.NOOP : FilterCompat.get(any);
    }

    private static final class Materializer extends RecordMaterializer<Void> {
        private final LazyAction[] actions;
        private final GroupConverter root;

        Materializer(List<GroupType> types, Handler handler) {
            actions = new LazyAction[types.size()];
            for (int i = 0; i < actions.length; i++) {
                actions[i] = new LazyAction(types.get(i));
            }
            root = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return actions[fieldIndex];
                }

                @Override
                public void start() {
                }

                @Override
                public void end() {
                    for (LazyAction a : actions) {
                        if (a.set) {
                            a.set = false;
                            handler.action(a.name, a.record.getCurrentRecord());
                        }
                    }
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

    /** One action column: Parquet calls start() only when the action is set, and only then is a record made. */
    private static final class LazyAction extends GroupConverter {
        final String name;
        final GroupRecordConverter record;
        boolean set;

        LazyAction(GroupType type) {
            this.name = type.getName();
            this.record = new GroupRecordConverter(new MessageType(type.getName(), type.getFields()));
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return record.getRootConverter().getConverter(fieldIndex);
        }

        @Override
        public void start() {
            set = true;
            record.getRootConverter().start();
        }

        @Override
        public void end() {
            record.getRootConverter().end();
        }
    }
}
