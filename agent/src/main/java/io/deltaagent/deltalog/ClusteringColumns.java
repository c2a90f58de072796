package io.deltaagent.deltalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;

/**
 * A liquid-clustered table's clustering columns: the {@code delta.clustering} domain metadata, whose configuration is
 * {@code {"clusteringColumns": [["a"], ["s", "x"]]}} (physical names under column mapping). Read only for tables whose
 * protocol has the {@code clustering} writer feature: from the newest of the commits after the checkpoint, else from
 * the checkpoint's {@code domainMetadata} rows (a few rows; Parquet statistics skip the rest).
 */
public final class ClusteringColumns {

    static final String DOMAIN = "delta.clustering";
    static final String FEATURE = "clustering";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusteringColumns() {
    }

    static List<String> read(Configuration conf, FileSystem fs, LogSegment segment, RecentFiles recent, ProtocolInfo protocol)
            throws IOException {
        if (!protocol.writerFeatures().contains(FEATURE)) {
            return List.of();
        }
        Optional<List<String>> fromCommits = recent.clustering();
        if (fromCommits.isPresent() || segment.checkpoint() == null) {
            return fromCommits.orElse(List.of());
        }
        List<List<String>> found = new ArrayList<>();
        LogActionVisitor visitor = new LogActionVisitor() {
            @Override
            public void domainMetadata(String domain, String configuration, boolean removed) {
                if (DOMAIN.equals(domain) && !removed) {
                    found.add(parse(configuration));
                }
            }

            @Override
            public boolean wantsFileActions() {
                return false;
            }
        };
        for (String part : segment.checkpoint().files()) {
            Path file = new Path(part);
            if (part.endsWith(".json")) {
                CommitReader.read(fs, file, visitor);
            } else {
                SparseActionReader.read(conf, file, "_delta_log/" + file.getName(), ClusteringColumns::project,
                        (name, action) -> visit(action, visitor));
            }
        }
        return found.isEmpty() ? List.of() : found.get(found.size() - 1);
    }

    /** The column paths of a {@code delta.clustering} configuration, each joined by dots. */
    static List<String> parse(String configuration) {
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

    private static List<GroupType> project(MessageType schema) {
        if (!CheckpointColumnReader.isGroup(schema, "domainMetadata")) {
            return List.of();
        }
        GroupType group = schema.getType("domainMetadata").asGroupType();
        List<org.apache.parquet.schema.Type> kept = new ArrayList<>();
        for (String field : List.of("domain", "configuration", "removed")) {
            if (group.containsField(field)) {
                kept.add(group.getType(field));
            }
        }
        return kept.isEmpty() ? List.of() : List.of(group.withNewFields(kept));
    }

    private static void visit(Group action, LogActionVisitor visitor) {
        if (!CheckpointColumnReader.has(action, "domain")) {
            return;
        }
        visitor.domainMetadata(action.getString("domain", 0),
                CheckpointColumnReader.has(action, "configuration") ? action.getString("configuration", 0) : null,
                CheckpointColumnReader.has(action, "removed") && action.getBoolean("removed", 0));
    }
}
