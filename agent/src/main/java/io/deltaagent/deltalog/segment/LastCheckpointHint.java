package io.deltaagent.deltalog.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.deltalog.storage.LogStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** The {@code _last_checkpoint} file: a hint naming the newest checkpoint, which readers verify against the listing. */
public record LastCheckpointHint(long version, Integer parts, Long sizeInBytes) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads the hint before the listing, whether or not it exists (on object stores one GET and no HEAD, where the
     * version it names lets a long log be listed in ranges at once); empty when absent or unreadable.
     */
    public static Optional<LastCheckpointHint> readFirst(LogStore store, String logDir) {
        try {
            Optional<byte[]> bytes = store.readIfExists(LogPaths.child(logDir, LogListing.LAST_CHECKPOINT));
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

    /**
     * Reads the hint the listing found, through the audit's store; empty when unreadable (readers then rely on the
     * listing, as Delta does).
     *
     * @param length as listed (no HEAD request before the GET); negative when not known
     */
    public static Optional<LastCheckpointHint> read(LogStore store, String logDir, long length) {
        try (InputStream in = store.open(LogPaths.child(logDir, LogListing.LAST_CHECKPOINT), length)) {
            return parse(JSON.readTree(in));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
