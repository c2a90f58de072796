package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaagent.storage.TablePaths;
import io.deltaagent.testing.DaemonProcess;
import io.deltaagent.testing.Eventually;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.HistoryDb;
import io.deltaagent.testing.PrometheusText;
import io.deltaagent.testing.UnityCatalogStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon that finds its tables in a catalog (the Unity stand-in): names in /api/tables and /metrics, retirement. */
class CatalogDaemonTest {

    @TempDir
    Path tmp;

    @Test
    void theDaemonAuditsCatalogTablesByNameAndRetiresOnlyATableDroppedFromACatalogThatAnswered() throws Exception {
        String kept = TablePaths.canonical(Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("a"))).toString());
        String dropped = TablePaths.canonical(Fixtures.copy("spark_optimized", Files.createDirectories(tmp.resolve("b"))).toString());
        try (UnityCatalogStandIn uc = new UnityCatalogStandIn(null)) {
            uc.table("main", "sales", "kept", "EXTERNAL", "DELTA", "file://" + kept);
            uc.table("main", "sales", "dropped", "EXTERNAL", "DELTA", "file://" + dropped);
            Path config = Files.writeString(tmp.resolve("agent.yaml"), """
                    defaults:
                      max-log-read-latency: 10m
                      audit-schedule: "*/2 * * * * ?"
                    catalogs:
                      uc: {type: unity, uri: "%s", catalog: main, timeout: 2s}
                    daemon:
                      http-address: 127.0.0.1:0
                    """.formatted(uc.uri()));
            try (DaemonProcess daemon = DaemonProcess.start("daemon", tmp, config, HistoryDb.h2(tmp),
                    tmp.resolve("jobs"), Map.of(), null)) {
                Eventually.await("both catalog tables audited", Duration.ofSeconds(60),
                        () -> daemon.json("/api/tables"), t -> state(t, kept) != null && state(t, dropped) != null);
                JsonNode k = state(daemon.json("/api/tables"), kept);
                assertThat(k.get("status").asText()).isEqualTo("HEALTHY");
                assertThat(k.get("catalog").get("catalog").asText()).isEqualTo("uc");
                assertThat(k.get("catalog").get("table").asText()).isEqualTo("main.sales.kept");
                PrometheusText m = PrometheusText.parse(daemon.text("/metrics"));
                assertThat(m.value("deltaagent_table_catalog_info", "table", kept, "catalog", "uc", "name", "main.sales.kept"))
                        .isEqualTo(1.0);

                uc.drop("main.sales.dropped");
                Eventually.await(dropped + " to leave /api/tables", Duration.ofSeconds(60),
                        () -> daemon.json("/api/tables"), t -> state(t, dropped) == null);
                PrometheusText after = PrometheusText.parse(daemon.text("/metrics"));
                assertThat(after.find("deltaagent_table_catalog_info", "table", dropped)).isEmpty();
                assertThat(after.find("deltaagent_table_files", "table", dropped)).isEmpty();
                assertThat(after.find("deltaagent_table_catalog_info", "table", kept)).hasSize(1);

                // a catalog that fails retires nothing: its tables were not listed, not dropped
                uc.failing(true);
                String unread = "a catalog could not be read; its tables keep their last state until it answers again";
                Eventually.await("two cycles that cannot read the catalog", Duration.ofSeconds(60),
                        () -> count(daemon.log(), unread), n -> n >= 2);
                assertThat(daemon.log()).contains("catalog uc: cannot list the schemas of catalog main: HTTP 503");
                assertThat(state(daemon.json("/api/tables"), kept)).isNotNull();
                assertThat(daemon.terminate(Duration.ofSeconds(60))).isZero();
            }
        }
    }

    private static JsonNode state(JsonNode tables, String table) {
        for (JsonNode t : tables) {
            if (t.get("table").asText().equals(table)) {
                return t;
            }
        }
        return null;
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
