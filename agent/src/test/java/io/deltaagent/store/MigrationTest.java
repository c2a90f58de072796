package io.deltaagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaagent.testing.HistoryDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A history database written before table paths were canonical: opening it with this agent migrates it (V6, V7), and
 * its runs are found under the canonical path, with the table id from the health recorded before them.
 */
@Tag("fast")
class MigrationTest {

    @TempDir
    Path tmp;

    @Test
    void olderRowsAreRewrittenToCanonicalPathsAndKeepTheirTableId() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("lake/orders")).toRealPath();
        Path link = Files.createSymbolicLink(tmp.resolve("orders-link"), real);
        String url = HistoryDb.h2(tmp);
        // the schema as the previous release left it, with runs recorded under three spellings of one table
        Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration", "classpath:db/quartz/h2").target("5")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            int i = 0;
            for (String spelling : new String[] {real + "/", "file:" + real, link.toString()}) {
                var ps = c.prepareStatement("INSERT INTO maintenance_run (table_path, action, planned_action, backend, "
                        + "table_version_before, submitted_at, state, health_before) VALUES (?, 'OPTIMIZE', '{}', 'local', ?, ?, "
                        + "'SUCCEEDED', ?)");
                ps.setString(1, spelling);
                ps.setLong(2, i);
                ps.setTimestamp(3, Timestamp.from(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i++)));
                ps.setString(4, "{\"identity\":{\"tableId\":\"0f1e2d3c-aaaa-bbbb-cccc-000000000001\"}}");
                ps.executeUpdate();
            }
            c.prepareStatement("INSERT INTO maintenance_run (table_path, action, planned_action, backend, table_version_before, "
                    + "submitted_at, state, health_before) VALUES ('s3a://lake//events/', 'VACUUM', '{}', 'local', 1, "
                    + "CURRENT_TIMESTAMP, 'FAILED', 'not json')").executeUpdate();
        }

        try (HistoryStore store = HistoryStore.open(url, "sa", "")) {
            assertThat(store.runs().history(real.toString(), 10)).hasSize(3)
                    .allSatisfy(r -> assertThat(r.tableId()).isEqualTo("0f1e2d3c-aaaa-bbbb-cccc-000000000001"));
            assertThat(store.runs().lastRun(real.toString(), "OPTIMIZE")).as("the guards find the newest under the canonical path")
                    .get().extracting(RunRecord::tableVersionBefore).isEqualTo(2L);
            RunRecord events = store.runs().history("s3a://lake/events", 10).get(0);
            assertThat(events.tableId()).as("health that is not JSON: no id, the row kept").isNull();
            assertThat(events.forced()).isFalse();
            assertThat(events.commitTag()).isNull();
        }
    }
}
