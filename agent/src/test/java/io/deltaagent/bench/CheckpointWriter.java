package io.deltaagent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes a classic single-file checkpoint in the schema Delta Spark 3.3 writes (read back from a Spark-written
 * checkpoint), snappy-compressed, without the optional {@code add.partitionValues_parsed} struct (Spark adds it
 * when {@code delta.checkpoint.writeStatsAsStruct} is on; readers fall back to the {@code partitionValues} map).
 */
final class CheckpointWriter implements AutoCloseable {

    private static final String MAP = "(MAP) { repeated group key_value { required binary key (STRING);"
            + " optional binary value (STRING); } }";
    private static final String LIST = "(LIST) { repeated group list { optional binary element (STRING); } }";
    private static final String DV = "optional group deletionVector { optional binary storageType (STRING);"
            + " optional binary pathOrInlineDv (STRING); optional int32 offset; optional int32 sizeInBytes;"
            + " optional int64 cardinality; optional int64 maxRowIndex; }";
    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message spark_schema {"
            + " optional group txn { optional binary appId (STRING); optional int64 version; optional int64 lastUpdated; }"
            + " optional group add { optional binary path (STRING); optional group partitionValues " + MAP
            + " optional int64 size; optional int64 modificationTime; optional boolean dataChange;"
            + " optional group tags " + MAP + " " + DV + " optional int64 baseRowId; optional int64 defaultRowCommitVersion;"
            + " optional binary clusteringProvider (STRING); optional binary stats (STRING); }"
            + " optional group remove { optional binary path (STRING); optional int64 deletionTimestamp;"
            + " optional boolean dataChange; optional boolean extendedFileMetadata; optional group partitionValues " + MAP
            + " optional int64 size; " + DV + " optional int64 baseRowId; optional int64 defaultRowCommitVersion; }"
            + " optional group metaData { optional binary id (STRING); optional binary name (STRING);"
            + " optional binary description (STRING); optional group format { optional binary provider (STRING);"
            + " optional group options " + MAP + " } optional binary schemaString (STRING);"
            + " optional group partitionColumns " + LIST + " optional group configuration " + MAP
            + " optional int64 createdTime; }"
            + " optional group protocol { optional int32 minReaderVersion; optional int32 minWriterVersion;"
            + " optional group readerFeatures " + LIST + " optional group writerFeatures " + LIST + " }"
            + " optional group domainMetadata { optional binary domain (STRING); optional binary configuration (STRING);"
            + " optional boolean removed; }"
            + " }");

    private final SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);
    private final ParquetWriter<Group> writer;
    private final Path path;
    private final long millis;
    private long rowCount;
    private long addCount;

    CheckpointWriter(Path path, long millis) throws IOException {
        this.path = path;
        this.millis = millis;
        this.writer = ExampleParquetWriter.builder(new LocalOutputFile(path))
                .withConf(new Configuration(false))
                .withType(SCHEMA)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }

    void protocolAndMetadata(SyntheticTable table) throws IOException {
        Group row = rows.newGroup();
        Group protocol = row.addGroup("protocol");
        protocol.add("minReaderVersion", 1);
        protocol.add("minWriterVersion", 2);
        write(row);

        row = rows.newGroup();
        Group meta = row.addGroup("metaData");
        meta.add("id", table.tableId());
        Group format = meta.addGroup("format");
        format.add("provider", "parquet");
        format.addGroup("options");
        meta.add("schemaString", CommitWriter.schemaString(table.settings.partitioned()));
        Group columns = meta.addGroup("partitionColumns");
        if (table.settings.partitioned()) {
            columns.addGroup("list").add("element", "date");
        }
        Group conf = meta.addGroup("configuration");
        keyValue(conf, "delta.checkpointInterval", Integer.toString(table.settings.checkpointInterval()));
        meta.add("createdTime", table.commitMillis(0));
        write(row);
    }

    void txn(String appId, long version, long lastUpdated) throws IOException {
        Group row = rows.newGroup();
        Group txn = row.addGroup("txn");
        txn.add("appId", appId);
        txn.add("version", version);
        txn.add("lastUpdated", lastUpdated);
        write(row);
    }

    void add(SyntheticFile f) throws IOException {
        Group row = rows.newGroup();
        Group add = row.addGroup("add");
        add.add("path", f.path());
        partitionValues(add, f);
        add.add("size", f.size());
        add.add("modificationTime", f.modificationTime());
        add.add("dataChange", false);
        add.add("stats", f.stats());
        write(row);
        addCount++;
    }

    void remove(SyntheticFile f, long deletionTimestamp) throws IOException {
        Group row = rows.newGroup();
        Group remove = row.addGroup("remove");
        remove.add("path", f.path());
        remove.add("deletionTimestamp", deletionTimestamp);
        remove.add("dataChange", false);
        remove.add("extendedFileMetadata", true);
        partitionValues(remove, f);
        remove.add("size", f.size());
        write(row);
    }

    long rows() {
        return rowCount;
    }

    long adds() {
        return addCount;
    }

    private static void partitionValues(Group action, SyntheticFile f) {
        Group map = action.addGroup("partitionValues");
        if (f.date() != null) {
            keyValue(map, "date", f.date());
        }
    }

    private static void keyValue(Group map, String key, String value) {
        Group kv = map.addGroup("key_value");
        kv.add("key", key);
        kv.add("value", value);
    }

    private void write(Group row) throws IOException {
        writer.write(row);
        rowCount++;
    }

    @Override
    public void close() throws IOException {
        writer.close();
        Files.setLastModifiedTime(path, FileTime.fromMillis(millis));
    }
}
