package io.deltaagent.deltalog;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
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
        String name = part.getName();
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(part, conf))) {
            MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
            MessageType projection = project(fileSchema, wantRemoves);
            if (projection == null) {
                return;
            }
            reader.setRequestedSchema(projection);
            MessageColumnIO columnIO = new ColumnIOFactory().getColumnIO(projection, fileSchema);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = columnIO.getRecordReader(pages, new GroupRecordConverter(projection));
                for (long row = 0, rows = pages.getRowCount(); row < rows; row++) {
                    visit(records.read(), visitor);
                }
            }
        } catch (FileNotFoundException e) {
            throw new CorruptLogException("checkpoint _delta_log/" + name + " is missing", e);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CorruptLogException) {
                throw e;
            }
            throw new CorruptLogException("cannot read checkpoint _delta_log/" + name + ": " + rootMessage(e), e);
        }
    }

    private static MessageType project(MessageType fileSchema, boolean wantRemoves) {
        List<Type> fields = new ArrayList<>();
        if (wantRemoves && fileSchema.containsField("remove")) {
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
        if (fileSchema.containsField("protocol")) {
            fields.add(fileSchema.getType("protocol"));
        }
        if (fileSchema.containsField("sidecar")) {
            GroupType sidecar = fileSchema.getType("sidecar").asGroupType();
            if (sidecar.containsField("path")) {
                fields.add(sidecar.withNewFields(List.of(sidecar.getType("path"))));
            }
        }
        return fields.isEmpty() ? null : new MessageType(fileSchema.getName(), fields);
    }

    private static void visit(Group row, LogActionVisitor visitor) {
        GroupType schema = row.getType();
        if (schema.containsField("remove") && row.getFieldRepetitionCount("remove") > 0) {
            Group remove = row.getGroup("remove", 0);
            if (remove.getFieldRepetitionCount("path") > 0) {
                visitor.remove(remove.getString("path", 0), deletionVectorId(remove),
                        longOrZero(remove, "size"),
                        has(remove, "deletionTimestamp") ? remove.getLong("deletionTimestamp", 0) : null);
            }
        }
        if (schema.containsField("sidecar") && row.getFieldRepetitionCount("sidecar") > 0) {
            Group sidecar = row.getGroup("sidecar", 0);
            if (sidecar.getFieldRepetitionCount("path") > 0) {
                visitor.sidecar(sidecar.getString("path", 0));
            }
        }
        if (schema.containsField("protocol") && row.getFieldRepetitionCount("protocol") > 0) {
            Group p = row.getGroup("protocol", 0);
            visitor.protocol(new ProtocolInfo(
                    has(p, "minReaderVersion") ? p.getInteger("minReaderVersion", 0) : 1,
                    has(p, "minWriterVersion") ? p.getInteger("minWriterVersion", 0) : 2,
                    list(p, "readerFeatures"), list(p, "writerFeatures")));
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

    private static boolean has(Group g, String field) {
        return g.getType().containsField(field) && g.getFieldRepetitionCount(field) > 0;
    }

    private static long longOrZero(Group g, String field) {
        return has(g, field) ? g.getLong(field, 0) : 0L;
    }

    /** Reads a list of strings in either the 3-level (list.element) or the legacy 2-level Parquet layout. */
    private static List<String> list(Group g, String field) {
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
