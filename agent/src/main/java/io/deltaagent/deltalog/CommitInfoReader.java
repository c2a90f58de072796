package io.deltaagent.deltalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
