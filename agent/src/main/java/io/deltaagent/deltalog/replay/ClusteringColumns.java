package io.deltaagent.deltalog.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaagent.deltalog.actions.CorruptLogException;
import io.deltaagent.deltalog.actions.ProtocolInfo;
import io.deltaagent.deltalog.segment.LogSegment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A liquid-clustered table's clustering columns: the {@code delta.clustering} domain metadata, whose configuration is
 * {@code {"clusteringColumns": [["a"], ["s", "x"]]}} (physical names under column mapping). Read only for tables whose
 * protocol has the {@code clustering} writer feature: from the newest of the commits after the checkpoint, else from
 * the checkpoint's {@code domainMetadata} rows (a few rows; Parquet statistics skip the rest).
 */
public final class ClusteringColumns {

    public static final String DOMAIN = "delta.clustering";
    static final String FEATURE = "clustering";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusteringColumns() {
    }

    /** @param checkpoint the segment's checkpoint's sparse actions (null without a checkpoint): its domain metadata */
    public static List<String> read(LogSegment segment, RecentFiles recent, ProtocolInfo protocol, CheckpointActions checkpoint)
            throws IOException {
        if (!protocol.writerFeatures().contains(FEATURE)) {
            return List.of();
        }
        Optional<List<String>> fromCommits = recent.clustering();
        if (fromCommits.isPresent() || segment.checkpoint() == null || checkpoint == null) {
            return fromCommits.orElse(List.of());
        }
        List<List<String>> found = new ArrayList<>();
        for (String[] domain : checkpoint.header().domains) {
            if (DOMAIN.equals(domain[0]) && !Boolean.parseBoolean(domain[2])) {
                found.add(parse(domain[1]));
            }
        }
        return found.isEmpty() ? List.of() : found.get(found.size() - 1);
    }

    /** The column paths of a {@code delta.clustering} configuration, each joined by dots. */
    public static List<String> parse(String configuration) {
        List<String> columns = new ArrayList<>();
        try {
            for (JsonNode path : JSON.readTree(configuration == null ? "{}" : configuration).path("clusteringColumns")) {
                List<String> parts = new ArrayList<>();
                if (path.isArray()) {
                    path.forEach(p -> parts.add(p.asText()));
                } else {
                    parts.add(path.asText());
                }
                columns.add(String.join(".", parts));
            }
        } catch (JsonProcessingException e) {
            throw new CorruptLogException("cannot parse the " + DOMAIN + " domain metadata '" + configuration + "': "
                    + e.getOriginalMessage(), e);
        }
        return List.copyOf(columns);
    }
}
