package io.deltaagent.discover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which local directories discovery takes for tables, with the probe of {@code _delta_log} alone. */
@Tag("fast")
class TableDiscoveryRulesTest {

    @Test
    void aDeltaLogDirectoryEvenEmptyMakesATableAFileOfThatNameDoesNot(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("lake");
        Path empty = Files.createDirectories(root.resolve("empty/_delta_log")).getParent();
        Path fake = Files.createDirectories(root.resolve("fake"));
        Files.writeString(fake.resolve("_delta_log"), "not a directory");
        Path inside = Files.createDirectories(root.resolve("fake/inner/_delta_log")).getParent();
        Files.createDirectories(root.resolve("_hidden/t/_delta_log"));
        Files.createDirectories(root.resolve(".dot/t/_delta_log"));
        Files.createDirectories(root.resolve("empty/nested/_delta_log")); // inside a table: not walked
        try (TableDiscovery discovery = new TableDiscovery(new Configuration(), 12, 2)) {
            assertThat(discovery.discover(root.toString())).containsExactly(empty.toString(), inside.toString());
        }
    }

    @Test
    void theDepthLimitStopsTheWalkAndTheRootMayBeATable(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("lake");
        Path one = Files.createDirectories(root.resolve("a/_delta_log")).getParent();
        Files.createDirectories(root.resolve("b/c/_delta_log"));
        try (TableDiscovery discovery = new TableDiscovery(new Configuration(), 1)) {
            assertThat(discovery.discover(root.toString())).containsExactly(one.toString());
            assertThat(discovery.discover(one.toString())).containsExactly(one.toString());
        }
    }

    @Test
    void aClosedDiscoveryRefusesToWalk(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("lake/a/_delta_log"));
        TableDiscovery discovery = new TableDiscovery(new Configuration(), 12);
        discovery.close();
        assertThatThrownBy(() -> discovery.discover(tmp.resolve("lake").toString()))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> new TableDiscovery(new Configuration(), 12, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("discovery parallelism must be at least 1");
    }
}
