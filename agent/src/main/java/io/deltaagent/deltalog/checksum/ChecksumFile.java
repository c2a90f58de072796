package io.deltaagent.deltalog.checksum;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Parses a version checksum file. It streams: {@code allFiles} (every active file, which delta-spark writes into the
 * checksums of small tables) and the other large optional parts are skipped, not held.
 */
public final class ChecksumFile {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final Pattern NAME = Pattern.compile("\\d{20}\\.crc");

    private ChecksumFile() {
    }

    /** {@code 00000000000000000012.crc} for 12. */
    public static String name(long version) {
        return String.format("%020d.crc", version);
    }

    /** @return the version of a checksum file's name, or -1 when the name is not one */
    public static long version(String name) {
        return NAME.matcher(name).matches() ? Long.parseLong(name.substring(0, 20)) : -1;
    }

    /**
     * @param version the version its name gives
     * @throws CorruptChecksumException when it is not a checksum file: not JSON, truncated, a required field missing
     * @throws IOException when the stream fails
     */
    public static VersionChecksum parse(long version, InputStream in) throws IOException {
        Long size = null;
        Long files = null;
        Long numMetadata = null;
        Long numProtocol = null;
        JsonNode metadata = null;
        JsonNode protocol = null;
        JsonNode histogram = null;
        Long dvs = null;
        Long deleted = null;
        try (JsonParser p = FACTORY.createParser(in)) {
            p.setCodec(MAPPER);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw corrupt(version, "not a JSON object", null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "tableSizeBytes" -> size = number(version, p, field);
                    case "numFiles" -> files = number(version, p, field);
                    case "numMetadata" -> numMetadata = number(version, p, field);
                    case "numProtocol" -> numProtocol = number(version, p, field);
                    case "numDeletionVectorsOpt" -> dvs = value == JsonToken.VALUE_NULL ? null : number(version, p, field);
                    case "numDeletedRecordsOpt" -> deleted = value == JsonToken.VALUE_NULL ? null : number(version, p, field);
                    case "metadata" -> metadata = p.readValueAsTree();
                    case "protocol" -> protocol = p.readValueAsTree();
                    // delta-spark before 3.x wrote the histogram as histogramOpt
                    case "fileSizeHistogram", "histogramOpt" -> {
                        JsonNode h = p.readValueAsTree();
                        histogram = h == null || h.isNull() ? histogram : h;
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw corrupt(version, "truncated", null);
            }
        } catch (JsonProcessingException e) {
            // the parser's own location text names no file and says little: the reason alone
            throw corrupt(version, "not valid JSON (" + e.getOriginalMessage().replaceAll("\\s*\\(start marker.*", "") + ")", e);
        }
        List<String> missing = new ArrayList<>();
        if (size == null) missing.add("tableSizeBytes");
        if (files == null) missing.add("numFiles");
        if (numMetadata == null) missing.add("numMetadata");
        if (numProtocol == null) missing.add("numProtocol");
        if (metadata == null || !metadata.isObject()) missing.add("metadata");
        if (protocol == null || !protocol.path("minReaderVersion").isInt()) missing.add("protocol");
        if (!missing.isEmpty()) {
            throw corrupt(version, "required fields missing: " + missing, null);
        }
        List<String> partitionColumns = new ArrayList<>();
        metadata.path("partitionColumns").forEach(c -> partitionColumns.add(c.asText()));
        try {
            return new VersionChecksum(version, size, files, numMetadata, numProtocol,
                    metadata.path("id").isTextual() ? metadata.get("id").asText() : null, partitionColumns,
                    protocol.get("minReaderVersion").asInt(), protocol.path("minWriterVersion").asInt(),
                    histogram == null ? null : histogram(histogram), dvs, deleted);
        } catch (IllegalArgumentException e) {
            throw corrupt(version, e.getMessage(), e);
        }
    }

    private static FileSizeHistogram histogram(JsonNode h) {
        return new FileSizeHistogram(longs(h.path("sortedBinBoundaries")), longs(h.path("fileCounts")),
                longs(h.path("totalBytes")));
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static long number(long version, JsonParser p, String field) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw corrupt(version, field + " is not a whole number", null);
        }
        return p.getLongValue();
    }

    private static CorruptChecksumException corrupt(long version, String why, Throwable cause) {
        return new CorruptChecksumException("_delta_log/" + name(version) + ": not a usable checksum file: " + why, cause);
    }
}
