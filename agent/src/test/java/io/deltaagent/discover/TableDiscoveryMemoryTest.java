package io.deltaagent.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaagent.error.DeltaAgentException;
import io.deltaagent.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What discovery remembers between cycles, and what makes it look again. */
@Tag("fast")
class TableDiscoveryMemoryTest {

    @Test
    void aKnownTableIsNotListedAgainUntilItsAuditFindsNoneAndADeletedOneDisappears(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("lake");
        Path t1 = Files.createDirectories(root.resolve("t1/_delta_log")).getParent();
        Path t2 = Files.createDirectories(root.resolve("sub/t2/_delta_log")).getParent();
        Path t3 = Files.createDirectories(root.resolve("t3/_delta_log")).getParent();
        TableDiscovery discovery = new TableDiscovery(new Configuration(), 12);
        assertThat(discovery.discover(root.toString())).containsExactly(t2.toString(), t1.toString(), t3.toString());

        // t1 stops being a table: remembered (its next audit says NOT_A_DELTA_TABLE) until the daemon forgets it
        Files.delete(t1.resolve("_delta_log"));
        Files.createDirectories(t1.resolve("nested/_delta_log"));
        assertThat(discovery.discover(root.toString())).containsExactly(t2.toString(), t1.toString(), t3.toString());
        discovery.forget(t1.toString());
        assertThat(discovery.discover(root.toString()))
                .containsExactly(t2.toString(), t1.resolve("nested").toString(), t3.toString());

        // a deleted table is gone from its parent's listing: nothing to forget
        Fixtures.deleteTree(t3);
        assertThat(discovery.discover(root.toString())).containsExactly(t2.toString(), t1.resolve("nested").toString());

        assertThatThrownBy(() -> discovery.discover(tmp.resolve("absent").toString()))
                .isInstanceOf(DeltaAgentException.class).hasMessage(tmp.resolve("absent") + ": discovery root does not exist");
    }
}
