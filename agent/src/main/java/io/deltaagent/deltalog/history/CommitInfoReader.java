package io.deltaagent.deltalog.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.segment.LogFile;
import io.deltaagent.deltalog.storage.LogPaths;
import io.deltaagent.deltalog.storage.LogStorage;
import io.deltaagent.deltalog.storage.LogStore;
import io.deltaagent.storage.TableLocation;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Objects;

/**
 * Reads what a commit says about itself: the {@code commitInfo} action of {@code _delta_log/<version>.json}
 * (operation, parameters, operationMetrics, engineInfo, timestamp). This is how a maintenance run's effect is
 * proved from the log rather than taken from the job's own report.
 */
public final class CommitInfoReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CommitInfoReader.class);

    private final LogStorage storage;

    /** @param storage where the tables' logs are read from: each call opens a store of its own, closed before it returns */
    public CommitInfoReader(LogStorage storage) {
        this.storage = Objects.requireNonNull(storage, "storage");
    }

    /**
     * The commitInfo of {@code version} as JSON text, or null when there is none to read (no version, no commitInfo,
     * or a log that cannot be read now: the run's record is worth more than this detail, so that is logged, not thrown).
     */
    public String describe(String table, Long version) {
        if (version == null) {
            return null;
        }
        try {
            return read(table, version).map(JsonNode::toString).orElse(null);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot read commit {} back from the log: {}", table, version, e.getMessage());
            return null;
        }
    }

    /** How many commits after a run's start {@link #taggedCommits} reads at most: a run is settled soon after it ended. */
    static final int MAX_COMMITS_SCANNED = 10_000;

    /**
     * The versions after {@code afterVersion} whose commitInfo.userMetadata is {@code tag}, oldest first: the commits
     * one run made (its job writes the tag into each), read from the log alone. Stops at the first version that does
     * not exist, or after 10,000 commits.
     *
     * @throws IOException when the log cannot be read
     */
    public java.util.List<Long> taggedCommits(String table, long afterVersion, String tag) throws IOException {
        java.util.List<Long> out = new java.util.ArrayList<>();
        TableLocation location = TableLocation.of(table);
        String log = storage.logDir(location);
        try (LogStore store = storage.open(location)) {
            for (long v = afterVersion + 1; v <= afterVersion + MAX_COMMITS_SCANNED; v++) {
                if (!store.exists(LogPaths.child(log, LogFile.commitName(v)))) {
                    break;
                }
                long version = v;
                read(store, log, v).map(info -> info.path("userMetadata").asText(null))
                        .filter(tag::equals)
                        .ifPresent(found -> out.add(version));
            }
        }
        return java.util.List.copyOf(out);
    }

    /** The commit's commitInfo with its version added; empty when the commit has none or is gone (log cleanup). */
    public Optional<JsonNode> read(String table, long version) throws IOException {
        TableLocation location = TableLocation.of(table);
        try (LogStore store = storage.open(location)) {
            return read(store, storage.logDir(location), version);
        }
    }

    private static Optional<JsonNode> read(LogStore store, String logDir, long version) throws IOException {
        String name = LogFile.commitName(version);
        // its length is not known: a HEAD before the GET on object stores, as a plain open always did
        try (BufferedReader in = new BufferedReader(new InputStreamReader(store.open(LogPaths.child(logDir, name), -1),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.contains("\"commitInfo\"")) {
                    continue;
                }
                try {
                    JsonNode info = JSON.readTree(line).get("commitInfo");
                    if (info instanceof ObjectNode object) {
                        object.put("version", version);
                        return Optional.of(object);
                    }
                } catch (JsonProcessingException e) {
                    throw new CorruptLogException("cannot parse _delta_log/" + name + ": " + e.getOriginalMessage(), e);
                }
            }
            return Optional.empty();
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }
}
