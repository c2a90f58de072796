package io.deltaagent.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 26's byte budget from a Spark-written multi-part checkpoint, and the tables it refuses to budget. */
class ByteBudgetTest {

    @Test
    void budgetsTheNeededColumnsOfEveryCheckpointPartAndTheCommitsAfterIt() throws Exception {
        Path table = Fixtures.table("spark_multipart_checkpoint");
        Path log = table.resolve("_delta_log");
        long tailBytes = 0;
        int tail = 0;
        long checkpointBytes = 0;
        try (Stream<Path> files = Files.list(log)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.matches("\\d{20}\\.json") && Long.parseLong(name.substring(0, 20)) > 10) {
                    tail++;
                    tailBytes += Files.size(f);
                } else if (name.startsWith("00000000000000000010.checkpoint.")) {
                    checkpointBytes += Files.size(f);
                }
            }
        }

        ByteBudget.Budget b = ByteBudget.of(table);

        assertThat(b.checkpointVersion()).isEqualTo(10);
        assertThat(b.checkpointParts()).isEqualTo(5);
        assertThat(b.checkpointBytes()).isEqualTo(checkpointBytes);
        assertThat(b.tailCommits()).isEqualTo(tail);
        assertThat(b.tailCommitBytes()).isEqualTo(tailBytes);
        // the stats, tags and txn columns are not needed: the needed chunks are part of the file, not all of it
        assertThat(b.neededColumnBytes()).isPositive().isLessThan(b.checkpointBytes() - b.footerBytes());
        assertThat(b.footerBytes()).isPositive();
        assertThat(b.addPathBytes()).isPositive().isLessThan(b.neededColumnBytes());
        assertThat(b.budgetBytes()).isEqualTo(b.neededColumnBytes() + b.footerBytes() + tailBytes + 5_000_000);
    }

    @Test
    void columnsMatchWholeDottedPrefixes() {
        assertThat(ByteBudget.needed("add.partitionValues.key_value.key")).isTrue();
        assertThat(ByteBudget.needed("add.size")).isTrue();
        assertThat(ByteBudget.needed("protocol.readerFeatures.list.element")).isTrue();
        assertThat(ByteBudget.needed("add.stats")).isFalse();
        assertThat(ByteBudget.needed("add.sizeX")).isFalse();
        assertThat(ByteBudget.needed("metaData.format.provider")).isFalse();
    }

    @Test
    void refusesATableWithoutCheckpointOrLogNamingIt(@TempDir Path dir) throws Exception {
        Path noCheckpoint = Fixtures.table("spark_unpartitioned_nocheckpoint");
        assertThatThrownBy(() -> ByteBudget.of(noCheckpoint)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(noCheckpoint.toString()).hasMessageContaining("no checkpoint");
        assertThatThrownBy(() -> ByteBudget.of(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir + " has no _delta_log");
    }
}
