package io.deltaagent.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.SplittableRandom;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes the real parquet data file behind one add (for the maintenance benchmark): seeded rows of the
 * table's schema, the partition column left out as Delta does, and the statistics Delta would record
 * (min/max/null counts), so data skipping on {@code user_id} works before and after Z-ordering.
 */
final class DataFileWriter {

    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("message spark_schema {"
            + " optional int64 event_id; optional int64 user_id; optional int64 event_time (TIMESTAMP(MICROS,true));"
            + " optional double amount; optional binary country (STRING); }");
    static final long USERS = 1_000_000;

    private final SyntheticTable table;
    private final Path root;
    private final Configuration conf = new Configuration(false);
    private final SimpleGroupFactory rows = new SimpleGroupFactory(SCHEMA);

    DataFileWriter(SyntheticTable table, Path root) {
        this.table = table;
        this.root = root;
    }

    SyntheticFile write(int id) throws IOException {
        SyntheticFile shape = table.appendedFile(id);
        Path file = root.resolve(shape.path());
        Files.createDirectories(file.getParent());
        SplittableRandom r = new SplittableRandom(SyntheticTable.mix(table.settings.seed() * 31 + id));
        int n = table.settings.rowsPerFile();
        long firstEvent = (long) id * n;
        long endMicros = shape.modificationTime() * 1000;
        long minUser = Long.MAX_VALUE;
        long maxUser = Long.MIN_VALUE;
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;
        double minAmount = Double.MAX_VALUE;
        double maxAmount = -Double.MAX_VALUE;
        String minCountry = null;
        String maxCountry = null;
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(conf)
                .withType(SCHEMA).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (int i = 0; i < n; i++) {
                long user = r.nextLong(USERS);
                long micros = endMicros - r.nextLong(SyntheticTable.BATCH_MILLIS * 1000);
                double amount = Math.round(r.nextDouble() * 100_000) / 100.0;
                String country = SyntheticTable.COUNTRIES[r.nextInt(SyntheticTable.COUNTRIES.length)];
                Group row = rows.newGroup();
                row.add("event_id", firstEvent + i);
                row.add("user_id", user);
                row.add("event_time", micros);
                row.add("amount", amount);
                row.add("country", country);
                w.write(row);
                minUser = Math.min(minUser, user);
                maxUser = Math.max(maxUser, user);
                minTime = Math.min(minTime, micros);
                maxTime = Math.max(maxTime, micros);
                minAmount = Math.min(minAmount, amount);
                maxAmount = Math.max(maxAmount, amount);
                minCountry = minCountry == null || country.compareTo(minCountry) < 0 ? country : minCountry;
                maxCountry = maxCountry == null || country.compareTo(maxCountry) > 0 ? country : maxCountry;
            }
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(shape.modificationTime()));
        // Delta truncates timestamp statistics to milliseconds; the max is rounded up so it still bounds the data
        String stats = "{\"numRecords\":" + n
                + ",\"minValues\":{\"event_id\":" + firstEvent + ",\"user_id\":" + minUser
                + ",\"event_time\":\"" + Instant.ofEpochMilli(Math.floorDiv(minTime, 1000)) + "\",\"amount\":" + minAmount
                + ",\"country\":\"" + minCountry + "\"}"
                + ",\"maxValues\":{\"event_id\":" + (firstEvent + n - 1) + ",\"user_id\":" + maxUser
                + ",\"event_time\":\"" + Instant.ofEpochMilli(Math.floorDiv(maxTime, 1000) + 1) + "\",\"amount\":" + maxAmount
                + ",\"country\":\"" + maxCountry + "\"}"
                + ",\"nullCount\":{\"event_id\":0,\"user_id\":0,\"event_time\":0,\"amount\":0,\"country\":0}}";
        return new SyntheticFile(shape.path(), shape.date(), Files.size(file), shape.modificationTime(), stats);
    }
}
