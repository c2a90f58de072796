package io.deltaagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.health.TableHealth;
import java.util.ArrayList;
import java.util.List;

/** The figures every reader must share with Spark's DESCRIBE DETAIL, as a fixture's truth file records them. */
public final class DescribeDetailTruth {

    private DescribeDetailTruth() {
    }

    /** Version, files, bytes, protocol versions, partition columns and tombstones equal the truth file's. */
    public static void assertMatches(TableHealth h, JsonNode truth) {
        assertThat(h.identity().version()).isEqualTo(truth.get("version").asLong());
        assertThat(h.files().activeFiles()).isEqualTo(truth.get("numFiles").asLong());
        assertThat(h.files().totalBytes()).isEqualTo(truth.get("sizeInBytes").asLong());
        assertThat(h.identity().minReaderVersion()).isEqualTo(truth.get("minReaderVersion").asInt());
        assertThat(h.identity().minWriterVersion()).isEqualTo(truth.get("minWriterVersion").asInt());
        List<String> partitionColumns = new ArrayList<>();
        truth.get("partitionColumns").forEach(n -> partitionColumns.add(n.asText()));
        assertThat(h.identity().partitionColumns()).containsExactlyElementsOf(partitionColumns);
        assertThat(h.tombstones().count()).isEqualTo(truth.get("tombstones").asLong());
        assertThat(h.tombstones().bytes()).isEqualTo(truth.get("tombstoneBytes").asLong());
    }
}
