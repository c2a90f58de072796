package io.deltaagent.deltalog.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.deltalog.actions.LogObjectStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The {@code _last_checkpoint} file: a hint naming the newest checkpoint, which readers verify against the listing. */
public record LastCheckpointHint(long version, Integer parts, Long sizeInBytes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the hint; empty when the file is absent or unreadable (readers then rely on the listing, as Delta does). */
    public static Optional<LastCheckpointHint> read(FileSystem fs, Path logDir) {
        return read(fs, logDir, -1);
    }

    /** On S3: one GET, no HEAD before it, whether or not the file exists (read before the listing). */
    public static Optional<LastCheckpointHint> readS3(org.apache.hadoop.fs.s3a.S3AFileSystem fs, Path logDir) {
        try {
            Optional<byte[]> bytes = LogObjects.getS3(fs, new Path(logDir, LogListing.LAST_CHECKPOINT));
            return bytes.isEmpty() ? Optional.empty() : parse(JSON.readTree(bytes.get()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<LastCheckpointHint> parse(JsonNode node) {
        if (node == null || !node.has("version")) {
            return Optional.empty();
        }
        return Optional.of(new LastCheckpointHint(
                node.get("version").asLong(),
                node.hasNonNull("parts") ? node.get("parts").asInt() : null,
                node.hasNonNull("sizeInBytes") ? node.get("sizeInBytes").asLong() : null));
    }

    /** @param length as listed (no HEAD request before the GET); negative when not known */
    public static Optional<LastCheckpointHint> read(FileSystem fs, Path logDir, long length) {
        Path file = new Path(logDir, LogListing.LAST_CHECKPOINT);
        try (InputStream in = LogObjectStatus.open(fs, file, length)) {
            return parse(JSON.readTree(in));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
