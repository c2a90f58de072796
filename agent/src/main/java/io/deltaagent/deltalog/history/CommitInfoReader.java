package io.deltaagent.deltalog.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaagent.deltalog.actions.CorruptLogException;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads what a commit says about itself: the {@code commitInfo} action of {@code _delta_log/<version>.json}
 * (operation, parameters, operationMetrics, engineInfo, timestamp). This is how a maintenance run's effect is
 * proved from the log rather than taken from the job's own report.
 */
public final class CommitInfoReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CommitInfoReader.class);

    private final Configuration conf;

    public CommitInfoReader(Configuration conf) {
        this.conf = conf;
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
        Path log = new Path(table, "_delta_log");
        FileSystem fs = log.getFileSystem(conf);
        for (long v = afterVersion + 1; v <= afterVersion + MAX_COMMITS_SCANNED; v++) {
            if (!fs.exists(new Path(log, String.format("%020d.json", v)))) {
                break;
            }
            long version = v;
            read(table, v).map(info -> info.path("userMetadata").asText(null))
                    .filter(tag::equals)
                    .ifPresent(found -> out.add(version));
        }
        return java.util.List.copyOf(out);
    }

    /** The commit's commitInfo with its version added; empty when the commit has none or is gone (log cleanup). */
    public Optional<JsonNode> read(String table, long version) throws IOException {
        Path file = new Path(new Path(table, "_delta_log"), String.format("%020d.json", version));
        FileSystem fs = file.getFileSystem(conf);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
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
                    throw new CorruptLogException("cannot parse _delta_log/" + file.getName() + ": " + e.getOriginalMessage(), e);
                }
            }
            return Optional.empty();
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }
}
