package io.deltaagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltaagent.audit.AuditOutcome;
import io.deltaagent.audit.SettingsThresholds;
import io.deltaagent.config.TableSettings;
import io.deltaagent.deltalog.LogHealthReader;
import io.deltaagent.deltalog.storage.HadoopStorage;
import io.deltaagent.health.TableHealth;
import io.deltaagent.storage.TableLocation;
import io.deltaagent.testing.Fixtures;
import io.deltaagent.testing.PrometheusText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deltaagent_checksum_mismatch_total{table}}: audits whose figures disagreed with the table's checksum file. */
class ChecksumMetricTest {

    @Test
    void anAuditThatDisagreesWithTheChecksumFileIsCountedForItsTableOnly(@TempDir Path tmp) throws Exception {
        Path lying = Fixtures.copy("spark_optimized", tmp.resolve("lying"));
        Path honest = Fixtures.copy("spark_optimized", tmp.resolve("honest"));
        long version = Fixtures.truth("spark_optimized").get("version").asLong();
        Path crc = lying.resolve("_delta_log").resolve(String.format("%020d.crc", version));
        ObjectMapper json = new ObjectMapper();
        ObjectNode node = (ObjectNode) json.readTree(crc.toFile());
        node.put("tableSizeBytes", node.get("tableSizeBytes").asLong() + 1);
        Files.deleteIfExists(crc.resolveSibling("." + crc.getFileName() + ".crc")); // the local file system's own checksum
        json.writeValue(crc.toFile(), node);
        LogHealthReader reader = new LogHealthReader(new HadoopStorage(new Configuration()), Clock.systemUTC());
        DaemonMetrics metrics = new DaemonMetrics();

        for (Path table : List.of(lying, honest, lying)) {
            TableHealth h = reader.read(TableLocation.of(table.toString()), SettingsThresholds.of(TableSettings.defaults()));
            metrics.audited(new AuditOutcome(h.table(), h, List.of(), null));
        }

        PrometheusText scrape = PrometheusText.parse(metrics.scrape());
        assertThat(scrape.value("deltaagent_checksum_mismatch_total", "table", lying.toString())).isEqualTo(2.0);
        assertThat(metrics.scrape()).doesNotContain("deltaagent_checksum_mismatch_total{table=\"" + honest + "\"}");
    }
}
