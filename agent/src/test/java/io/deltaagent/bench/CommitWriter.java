package io.deltaagent.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes one commit file ({@code NNNNNNNNNNNNNNNNNNNN.json}, one action per line) with Jackson's streaming API. */
final class CommitWriter {

    static final String ENGINE = "delta-agent-bench-generator/1 (Delta protocol 1/2)";
    // one action per line: the root-value separator is the line break
    private static final JsonFactory FACTORY = new com.fasterxml.jackson.core.JsonFactoryBuilder().rootValueSeparator("\n").build();

    private final SyntheticTable table;
    private final Path logDir;

    CommitWriter(SyntheticTable table, Path logDir) {
        this.table = table;
        this.logDir = logDir;
    }

    static String schemaString(boolean partitioned) {
        String fields = field("event_id", "long") + "," + field("user_id", "long") + ","
                + field("event_time", "timestamp") + "," + field("amount", "double") + "," + field("country", "string");
        if (partitioned) {
            fields += "," + field("date", "date");
        }
        return "{\"type\":\"struct\",\"fields\":[" + fields + "]}";
    }

    private static String field(String name, String type) {
        return "{\"name\":\"" + name + "\",\"type\":\"" + type + "\",\"nullable\":true,\"metadata\":{}}";
    }

    /** The table's metadata action as the field {@code name}: "metaData" in a commit, "metadata" in a checksum file. */
    static void metadata(JsonGenerator g, String name, SyntheticTable table) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("id", table.tableId());
        g.writeObjectFieldStart("format");
        g.writeStringField("provider", "parquet");
        g.writeObjectFieldStart("options");
        g.writeEndObject();
        g.writeEndObject();
        g.writeStringField("schemaString", schemaString(table.settings.partitioned()));
        g.writeArrayFieldStart("partitionColumns");
        if (table.settings.partitioned()) {
            g.writeString("date");
        }
        g.writeEndArray();
        g.writeObjectFieldStart("configuration");
        g.writeStringField("delta.checkpointInterval", Integer.toString(table.settings.checkpointInterval()));
        g.writeEndObject();
        g.writeNumberField("createdTime", table.commitMillis(0));
        g.writeEndObject();
    }

    /** The table's protocol (reader 1, writer 2) as the field "protocol". */
    static void protocol(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("protocol");
        g.writeNumberField("minReaderVersion", 1);
        g.writeNumberField("minWriterVersion", 2);
        g.writeEndObject();
    }

    Path path(int version) {
        return logDir.resolve(String.format("%020d.json", version));
    }

    void writeCreate() throws IOException {
        try (Out o = open(0)) {
            JsonGenerator g = o.g;
            commitInfo(g, 0, "CREATE TABLE", false);
            g.writeStartObject();
            protocol(g);
            g.writeEndObject();
            g.writeStartObject();
            metadata(g, "metaData", table);
            g.writeEndObject();
        }
    }

    /** A streaming micro-batch: commitInfo, the query's txn, and its new files. */
    void writeAppend(int version, long batchId, List<SyntheticFile> files) throws IOException {
        try (Out o = open(version)) {
            JsonGenerator g = o.g;
            commitInfo(g, version, "STREAMING UPDATE", true);
            g.writeStartObject();
            g.writeObjectFieldStart("txn");
            g.writeStringField("appId", table.appId());
            g.writeNumberField("version", batchId);
            g.writeNumberField("lastUpdated", table.commitMillis(version));
            g.writeEndObject();
            g.writeEndObject();
            for (SyntheticFile f : files) {
                add(g, f, true);
            }
        }
    }

    /** An OPTIMIZE: removes (tombstones) of the compacted files, adds of the files that replace them. */
    void writeCompaction(int version, Iterable<SyntheticFile> removed, List<SyntheticFile> added) throws IOException {
        try (Out o = open(version)) {
            JsonGenerator g = o.g;
            commitInfo(g, version, "OPTIMIZE", false);
            long deletion = table.commitMillis(version);
            for (SyntheticFile f : removed) {
                g.writeStartObject();
                g.writeObjectFieldStart("remove");
                g.writeStringField("path", f.path());
                g.writeNumberField("deletionTimestamp", deletion);
                g.writeBooleanField("dataChange", false);
                g.writeBooleanField("extendedFileMetadata", true);
                partitionValues(g, f);
                g.writeNumberField("size", f.size());
                g.writeEndObject();
                g.writeEndObject();
                }
            for (SyntheticFile f : added) {
                add(g, f, false);
            }
        }
    }

    private void commitInfo(JsonGenerator g, int version, String operation, boolean blindAppend) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("commitInfo");
        g.writeNumberField("timestamp", table.commitMillis(version));
        g.writeStringField("operation", operation);
        g.writeObjectFieldStart("operationParameters");
        if (blindAppend) {
            g.writeStringField("outputMode", "Append");
            g.writeStringField("queryId", table.appId());
            g.writeStringField("epochId", Long.toString(version));
        }
        g.writeEndObject();
        if (version > 0) {
            g.writeNumberField("readVersion", version - 1);
        }
        g.writeStringField("isolationLevel", blindAppend ? "WriteSerializable" : "SnapshotIsolation");
        g.writeBooleanField("isBlindAppend", blindAppend);
        g.writeStringField("engineInfo", ENGINE);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void add(JsonGenerator g, SyntheticFile f, boolean dataChange) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("add");
        g.writeStringField("path", f.path());
        partitionValues(g, f);
        g.writeNumberField("size", f.size());
        g.writeNumberField("modificationTime", f.modificationTime());
        g.writeBooleanField("dataChange", dataChange);
        g.writeStringField("stats", f.stats());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void partitionValues(JsonGenerator g, SyntheticFile f) throws IOException {
        g.writeObjectFieldStart("partitionValues");
        if (f.date() != null) {
            g.writeStringField("date", f.date());
        }
        g.writeEndObject();
    }

    private Out open(int version) throws IOException {
        Path p = path(version);
        OutputStream os = new BufferedOutputStream(Files.newOutputStream(p), 1 << 16);
        JsonGenerator g = FACTORY.createGenerator(os, JsonEncoding.UTF8);
        return new Out(g, p, table.commitMillis(version));
    }

    /** Closes the generator and stamps the file with its commit time (readers without in-commit timestamps use it). */
    private record Out(JsonGenerator g, Path path, long millis) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            g.close();
            Files.setLastModifiedTime(path, java.nio.file.attribute.FileTime.fromMillis(millis));
        }
    }
}
