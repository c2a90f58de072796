package io.deltaagent.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * Writes a version checksum file ({@code NNNNNNNNNNNNNNNNNNNN.crc}) in the shape delta-spark 3.3 writes one after each
 * commit (read from a Spark-written fixture): the table's size and file count, its metadata and protocol, and the
 * streaming query's transaction. Spark's {@code txnId} (a random id of the writing transaction) is left out, so two
 * runs with the same seed write the same bytes.
 */
final class ChecksumWriter {

    private static final JsonFactory FACTORY = new JsonFactory();

    private final SyntheticTable table;
    private final Path logDir;

    ChecksumWriter(SyntheticTable table, Path logDir) {
        this.table = table;
        this.logDir = logDir;
    }

    /**
     * @param batch the streaming query's last batch id at this version (negative: none yet)
     */
    void write(int version, long numFiles, long tableSizeBytes, long batch) throws IOException {
        Path p = logDir.resolve(String.format("%020d.crc", version));
        try (JsonGenerator g = FACTORY.createGenerator(new BufferedOutputStream(Files.newOutputStream(p), 8192),
                JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("tableSizeBytes", tableSizeBytes);
            g.writeNumberField("numFiles", numFiles);
            g.writeNumberField("numMetadata", 1);
            g.writeNumberField("numProtocol", 1);
            g.writeArrayFieldStart("setTransactions");
            if (batch >= 0) {
                g.writeStartObject();
                g.writeStringField("appId", table.appId());
                g.writeNumberField("version", batch);
                g.writeNumberField("lastUpdated", table.commitMillis(version));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("domainMetadata");
            g.writeEndArray();
            CommitWriter.metadata(g, "metadata", table);
            CommitWriter.protocol(g);
            g.writeEndObject();
        }
        Files.setLastModifiedTime(p, FileTime.fromMillis(table.commitMillis(version)));
    }
}
