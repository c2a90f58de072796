package io.deltaagent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.deltalog.checksum.ChecksumCheck;
import io.deltaagent.deltalog.checksum.ChecksumFile;
import io.deltaagent.health.TableHealth;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The figures every reader must share with Spark's DESCRIBE DETAIL, as a fixture's truth file records them. */
public final class DescribeDetailTruth {

    private DescribeDetailTruth() {
    }

    /**
     * Version, files, bytes, protocol versions, partition columns and tombstones equal the truth file's; and where the
     * writer left a checksum file of that version (delta-spark writes one per commit), the audit checked it and agrees.
     */
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
        java.nio.file.Path crc = java.nio.file.Path.of(new org.apache.hadoop.fs.Path(h.identity().location()).toUri().getPath())
                .resolve("_delta_log").resolve(ChecksumFile.name(h.identity().version()));
        if (Files.exists(crc)) {
            assertThat(h.checksum()).as(crc + " checked").isNotNull();
            assertThat(h.checksum().mismatches()).as(crc.toString()).isEmpty();
            assertThat(h.checksum().status()).isEqualTo(ChecksumCheck.AGREES);
        } else {
            assertThat(h.checksum()).as("no " + crc).isNull();
        }
    }
}
