package io.deltaagent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Commits written into a real table's log as PROTOCOL.md describes them, for protocols no engine on this classpath
 * writes (Delta 4's catalogManaged, writer features delta-spark 3.3 does not know): a protocol upgrade with the
 * table's own metaData carried over, and staged commits of a catalog-managed table.
 */
public final class ProtocolCommits {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProtocolCommits() {
    }

    /** The newest published commit's version. */
    public static long latestVersion(Path table) {
        try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
                    .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Commits the next version: the protocol given, and the table's metaData with {@code configuration} added (a
     * commitInfo first, with {@code inCommitTimestamp} when not null, as in-commit timestamps require).
     *
     * @return the version written
     */
    public static long upgrade(Path table, int reader, int writer, List<String> readerFeatures, List<String> writerFeatures,
                               Map<String, String> configuration, Long inCommitTimestamp) {
        try {
            long version = latestVersion(table) + 1;
            ObjectNode metaData = (ObjectNode) latestMetaData(table).deepCopy();
            ObjectNode conf = metaData.with("configuration");
            configuration.forEach(conf::put);
            ObjectNode commitInfo = JSON.createObjectNode();
            if (inCommitTimestamp != null) {
                commitInfo.put("inCommitTimestamp", inCommitTimestamp);
            }
            commitInfo.put("timestamp", inCommitTimestamp != null ? inCommitTimestamp : System.currentTimeMillis());
            commitInfo.put("operation", "SET TBLPROPERTIES");
            ObjectNode protocol = JSON.createObjectNode();
            protocol.put("minReaderVersion", reader).put("minWriterVersion", writer);
            if (reader >= 3) {
                protocol.set("readerFeatures", JSON.valueToTree(readerFeatures));
            }
            if (writer >= 7) {
                protocol.set("writerFeatures", JSON.valueToTree(writerFeatures));
            }
            String lines = JSON.writeValueAsString(Map.of("commitInfo", commitInfo)) + "\n"
                    + JSON.writeValueAsString(Map.of("protocol", protocol)) + "\n"
                    + JSON.writeValueAsString(Map.of("metaData", metaData)) + "\n";
            Files.writeString(table.resolve("_delta_log").resolve(String.format("%020d.json", version)), lines);
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes the table catalog-managed as the catalogManaged RFC (PROTOCOL.md) has it: reader 3 / writer 7 with the
     * feature (it requires inCommitTimestamp, enabled from this version) and the Unity Catalog table id property.
     *
     * @param feature {@code catalogManaged} or its preview name {@code catalogOwned-preview}
     * @return the version written
     */
    public static long makeCatalogManaged(Path table, String feature, long inCommitTimestamp) {
        long version = latestVersion(table) + 1;
        return upgrade(table, 3, 7, List.of(feature), List.of(feature, "inCommitTimestamp"),
                Map.of("delta.enableInCommitTimestamps", "true",
                        "delta.inCommitTimestampEnablementVersion", Long.toString(version),
                        "delta.inCommitTimestampEnablementTimestamp", Long.toString(inCommitTimestamp),
                        "io.unitycatalog.tableId", UUID.nameUUIDFromBytes(table.toString().getBytes()).toString()),
                inCommitTimestamp);
    }

    /** Commits the next version with these action lines, as they are; returns the version written. */
    public static long commit(Path table, String... actionLines) {
        try {
            long version = latestVersion(table) + 1;
            Files.writeString(table.resolve("_delta_log").resolve(String.format("%020d.json", version)),
                    String.join("\n", actionLines) + "\n");
            return version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A staged commit of {@code version}: {@code _delta_log/_staged_commits/<v>.<uuid>.json}, written by a writer and not
     * (yet) published; only the catalog says whether it was ratified.
     */
    public static Path stage(Path table, long version, String... actionLines) {
        try {
            Path dir = Files.createDirectories(table.resolve("_delta_log/_staged_commits"));
            Path file = dir.resolve(String.format("%020d.%s.json", version, UUID.randomUUID()));
            Files.writeString(file, String.join("\n", actionLines) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode latestMetaData(Path table) throws IOException {
        for (long v = latestVersion(table); v >= 0; v--) {
            Path commit = table.resolve("_delta_log").resolve(String.format("%020d.json", v));
            if (!Files.exists(commit)) {
                break;
            }
            for (String line : Files.readAllLines(commit)) {
                JsonNode node = JSON.readTree(line);
                if (node.has("metaData")) {
                    return node.get("metaData");
                }
            }
        }
        throw new IllegalStateException(table + ": no metaData in the commits");
    }
}
